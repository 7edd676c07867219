import { type NextRequest, NextResponse } from "next/server";

/**
 * Cheap first gate: console pages need a session cookie. The (console) layout then validates
 * the session against the API (an expired or revoked session, or one whose key was revoked, is sent
 * back to /sign-in there).
 */
export function proxy(request: NextRequest): NextResponse {
  if (request.cookies.get("dam_session")?.value) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = "/sign-in";
  url.search = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except the sign-in page, API route handlers and static assets.
  matcher: ["/((?!sign-in|api/|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
