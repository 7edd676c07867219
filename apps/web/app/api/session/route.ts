import { type NextRequest, NextResponse } from "next/server";
import { callApi } from "@/lib/api";
import { GraphQLRequestError, toErrorInfo } from "@/lib/errors";
import { graphql } from "@/lib/generated/gql";
import { clearSessionCookie, guardRoute, requestSession, setSessionCookie } from "@/lib/session";

export const dynamic = "force-dynamic";

const SIGN_IN = graphql(`
  mutation SignIn {
    signIn {
      token
      expiresAt
      viewer {
        name
        role
        keyPrefix
      }
    }
  }
`);

const SIGN_OUT = graphql(`
  mutation SignOut {
    signOut
  }
`);

function statusOf(error: unknown, code: string): number {
  if (!(error instanceof GraphQLRequestError)) return 500;
  if (code === "UNAUTHENTICATED") return 401;
  if (code === "FORBIDDEN") return 403;
  return 502;
}

/**
 * POST {key}: asks the API for a console session with the key and keeps only the session token, in an
 * http-only cookie; the key is not stored anywhere by the console.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = guardRoute(request);
  if (refused) return refused;
  let key = "";
  try {
    const body = (await request.json()) as { key?: unknown };
    key = typeof body.key === "string" ? body.key.trim() : "";
  } catch {
    // handled below
  }
  if (!key) {
    return NextResponse.json(
      { error: { code: "BAD_USER_INPUT", message: "Enter an API key." } },
      { status: 400 },
    );
  }

  try {
    const { signIn } = await callApi({ key }, SIGN_IN);
    const response = NextResponse.json({ viewer: signIn.viewer });
    setSessionCookie(response, request, signIn.token, new Date(signIn.expiresAt));
    return response;
  } catch (error) {
    const info = toErrorInfo(error);
    if (info.code === "FORBIDDEN") {
      info.message = "This key cannot sign in to the console (CLIENT keys are for shop backends).";
    }
    return NextResponse.json({ error: info }, { status: statusOf(error, info.code) });
  }
}

/** DELETE: signs out: ends the session in the API, then clears the cookie. */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const refused = guardRoute(request, null);
  if (refused) return refused;
  const session = requestSession(request);
  let ended = true;
  if (session) {
    // The cookie goes whatever the API says: an expired or revoked session is signed out already.
    ended = await callApi({ session }, SIGN_OUT)
      .then((data) => data.signOut)
      .catch((error: unknown) => !(error instanceof GraphQLRequestError && error.code === "API_UNREACHABLE"));
  }
  const response = NextResponse.json({ ok: true, ended });
  clearSessionCookie(response, request);
  return response;
}
