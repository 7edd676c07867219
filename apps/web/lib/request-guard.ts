/**
 * Cross-site request checks for the console's route handlers (app/api/*). The session cookie is
 * SameSite=Strict, which keeps it off cross-site requests but not off requests from a sibling origin
 * of the same site; these checks refuse both, so no other origin can make the console act for a
 * signed-in user. Kept free of Next imports so the decisions can be unit-tested.
 *
 * The origin check follows Go's net/http CrossOriginProtection (Go 1.25; F. Valsorda, "Cross-Site
 * Request Forgery", 2025): trust `Sec-Fetch-Site` when the browser sends it (every current browser
 * does), else compare `Origin` with `Host`; a request with neither did not come from a browser page.
 */

export type TRefusal = { status: number; code: string; message: string };

type TRequestLike = { method: string; headers: Headers };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Null when the request may come from the console's own pages, else why it is refused (403). */
export function crossSiteRefusal(request: TRequestLike): TRefusal | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    // "none": the user opened the URL themselves (address bar, bookmark), which is fine for a download.
    if (site === "same-origin" || (site === "none" && SAFE_METHODS.has(request.method))) return null;
    return {
      status: 403,
      code: "CROSS_SITE_REQUEST",
      message: `Refused a ${site} request: the console's API answers only its own pages.`,
    };
  }
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  const host = request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost !== null && host !== null && originHost.toLowerCase() === host.toLowerCase()) return null;
  return {
    status: 403,
    code: "CROSS_SITE_REQUEST",
    message: `Refused a request from origin ${origin}: the console's API answers only its own pages.`,
  };
}

/**
 * The MIME essence of a Content-Type header ("application/json; charset=utf-8" -> "application/json").
 * Compared whole: a substring test would let `text/plain; x=application/json` through, and text/plain
 * is what a cross-site page may send without a CORS preflight.
 */
export function mimeEssence(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Null when the body is declared as `expected`, else a 415 refusal. */
export function contentTypeRefusal(headers: Headers, expected: string): TRefusal | null {
  const essence = mimeEssence(headers.get("content-type"));
  if (essence === expected) return null;
  return {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: `Send the body as ${expected}${essence ? `, not ${essence}` : ""}.`,
  };
}

/**
 * Both checks for a route handler: the origin first (a cross-site caller learns nothing more), then,
 * for requests with a body, its content type.
 */
export function consoleRequestRefusal(
  request: TRequestLike,
  body: { contentType: string } | null = { contentType: "application/json" },
): TRefusal | null {
  return crossSiteRefusal(request) ?? (body ? contentTypeRefusal(request.headers, body.contentType) : null);
}
