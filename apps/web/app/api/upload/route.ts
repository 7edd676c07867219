import { type NextRequest, NextResponse } from "next/server";
import { apiBaseUrl, authorizationHeader } from "@/lib/api";
import { guardRoute, requestSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/**
 * Streams a file from the browser to the API's upload endpoint with the session, so a large file
 * never sits in the console server's memory and the browser never holds the session token. The body
 * is raw file bytes, so it must be declared application/octet-stream: like application/json, a type a
 * page of another site cannot send without a CORS preflight.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = guardRoute(request, { contentType: "application/octet-stream" });
  if (refused) return refused;
  const session = requestSession(request);
  if (!session)
    return NextResponse.json(
      { error: { code: "UNAUTHENTICATED", message: "Not signed in." } },
      { status: 401 },
    );
  const name = request.nextUrl.searchParams.get("name") ?? "";
  if (!request.body) {
    return NextResponse.json(
      { error: { code: "BAD_USER_INPUT", message: "The upload has no body." } },
      { status: 400 },
    );
  }
  try {
    const upstream = await fetch(`${apiBaseUrl()}/api/v1/uploads?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers: {
        authorization: authorizationHeader({ session }),
        "content-type": "application/octet-stream",
      },
      body: request.body,
      duplex: "half",
    } as RequestInit);
    return new NextResponse(await upstream.text(), {
      status: upstream.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return NextResponse.json(
      {
        error: {
          code: "API_UNREACHABLE",
          message: `Cannot reach the DAM API at ${apiBaseUrl()} (${message}).`,
        },
      },
      { status: 502 },
    );
  }
}
