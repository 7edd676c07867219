import { type NextRequest, NextResponse } from "next/server";
import { apiBaseUrl, authorizationHeader } from "@/lib/api";
import { guardRoute, requestSession } from "@/lib/session";

/**
 * Streams a file download from the API (`path` under its base URL) with the session, so the browser
 * downloads with a plain link and never holds the token. The API's status, content type and file name
 * pass through; nothing is buffered. Requests made by another site's pages are refused.
 */
export async function proxyDownload(request: NextRequest, path: string): Promise<NextResponse> {
  const refused = guardRoute(request, null);
  if (refused) return refused;
  const session = requestSession(request);
  if (!session) {
    return NextResponse.json(
      { error: { code: "UNAUTHENTICATED", message: "Not signed in." } },
      { status: 401 },
    );
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}${path}`, {
      headers: { authorization: authorizationHeader({ session }) },
      cache: "no-store",
    });
  } catch (error) {
    const message = `Cannot reach the DAM API at ${apiBaseUrl()}: ${error instanceof Error ? error.message : String(error)}`;
    return NextResponse.json({ error: { code: "API_UNREACHABLE", message } }, { status: 502 });
  }
  const headers = new Headers({ "cache-control": "no-store" });
  for (const name of ["content-type", "content-disposition"]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new NextResponse(upstream.body, { status: upstream.status, headers });
}
