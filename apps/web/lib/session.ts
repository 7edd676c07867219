/** Session cookie helpers for route handlers. */
import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "./api";
import { consoleRequestRefusal } from "./request-guard";

function isHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get("x-forwarded-proto");
  if (forwarded) return forwarded.split(",")[0]?.trim() === "https";
  return request.nextUrl.protocol === "https:";
}

/**
 * Stores the console session token (never the API key) in an http-only, SameSite=Strict cookie that
 * lives as long as the session's absolute expiry; the API ends it earlier when it is idle or revoked.
 */
export function setSessionCookie(
  response: NextResponse,
  request: NextRequest,
  token: string,
  expiresAt: Date,
): void {
  response.cookies.set({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: "strict",
    secure: isHttps(request),
    path: "/",
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(response: NextResponse, request: NextRequest): void {
  response.cookies.set({
    name: SESSION_COOKIE,
    value: "",
    httpOnly: true,
    sameSite: "strict",
    secure: isHttps(request),
    path: "/",
    maxAge: 0,
  });
}

/** The session token of a route handler's request, if any. */
export function requestSession(request: NextRequest): string | undefined {
  return request.cookies.get(SESSION_COOKIE)?.value || undefined;
}

/**
 * The cross-site and content-type checks of lib/request-guard.ts as a JSON answer
 * (`{ error: { code, message } }`), or null when the request may proceed.
 */
export function guardRoute(
  request: NextRequest,
  body: { contentType: string } | null = { contentType: "application/json" },
): NextResponse | null {
  const refusal = consoleRequestRefusal(request, body);
  if (!refusal) return null;
  return NextResponse.json(
    { error: { code: refusal.code, message: refusal.message } },
    { status: refusal.status, headers: { "cache-control": "no-store" } },
  );
}
