import { type NextRequest, NextResponse } from "next/server";
import { apiBaseUrl, SESSION_COOKIE } from "@/lib/api";

export const dynamic = "force-dynamic";

/**
 * Streams a LABELS version's rows as JSONL or CSV (?format=) from the API, adding the session key as
 * Bearer token so the browser can download with a plain link and never holds the key.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const key = request.cookies.get(SESSION_COOKIE)?.value;
  if (!key)
    return NextResponse.json(
      { error: { code: "UNAUTHENTICATED", message: "Not signed in." } },
      { status: 401 },
    );
  const { id } = await params;
  const format = request.nextUrl.searchParams.get("format") === "csv" ? "csv" : "jsonl";
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}/api/v1/versions/${encodeURIComponent(id)}/labels.${format}`, {
      headers: { authorization: `Bearer ${key}` },
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
