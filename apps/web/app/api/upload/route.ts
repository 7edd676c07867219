import { type NextRequest, NextResponse } from "next/server";
import { apiBaseUrl, SESSION_COOKIE } from "@/lib/api";

export const dynamic = "force-dynamic";

/**
 * Streams a file from the browser to the API's upload endpoint with the session key, so a large file
 * never sits in the console server's memory and the browser never holds the key.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const key = request.cookies.get(SESSION_COOKIE)?.value;
  if (!key)
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
      headers: { authorization: `Bearer ${key}`, "content-type": "application/octet-stream" },
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
