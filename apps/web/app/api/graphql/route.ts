import { type NextRequest, NextResponse } from "next/server";
import { postToApi, SESSION_COOKIE } from "@/lib/api";
import { API_UNREACHABLE, GraphQLRequestError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1_000_000;

function graphqlError(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/**
 * Forwards GraphQL POST bodies to the API with the session key as Bearer token, so client
 * components never see the key.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const key = request.cookies.get(SESSION_COOKIE)?.value;
  if (!key) return graphqlError(401, "UNAUTHENTICATED", "Not signed in.");

  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.includes("application/json")) {
    return graphqlError(415, "BAD_REQUEST", "Send GraphQL requests as application/json.");
  }
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return graphqlError(413, "BAD_REQUEST", "Request body too large.");

  try {
    const upstream = await postToApi(key, body);
    const text = await upstream.text();
    return new NextResponse(text, {
      status: upstream.status,
      headers: {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof GraphQLRequestError) return graphqlError(502, error.code, error.message);
    return graphqlError(502, API_UNREACHABLE, String(error));
  }
}
