import { type NextRequest, NextResponse } from "next/server";
import { postToApi } from "@/lib/api";
import { API_UNREACHABLE, GraphQLRequestError } from "@/lib/errors";
import { consoleRequestRefusal } from "@/lib/request-guard";
import { requestSession } from "@/lib/session";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1_000_000;

function graphqlError(status: number, code: string, message: string): NextResponse {
  return NextResponse.json(
    { errors: [{ message, extensions: { code } }] },
    { status, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Forwards GraphQL POST bodies from the console's own pages to the API with the session token, so
 * client components never see it. Cross-site callers and bodies that are not application/json (what a
 * page of another site could send without a CORS preflight) are refused before the session is used.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refusal = consoleRequestRefusal(request);
  if (refusal) return graphqlError(refusal.status, refusal.code, refusal.message);
  const session = requestSession(request);
  if (!session) return graphqlError(401, "UNAUTHENTICATED", "Not signed in.");

  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return graphqlError(413, "BAD_REQUEST", "Request body too large.");

  try {
    const upstream = await postToApi({ session }, body);
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
