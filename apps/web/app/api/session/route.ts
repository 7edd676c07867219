import { type NextRequest, NextResponse } from "next/server";
import { callApi } from "@/lib/api";
import { GraphQLRequestError, toErrorInfo } from "@/lib/errors";
import { clearSessionCookie, setSessionCookie } from "@/lib/session";
import type { Viewer } from "@/lib/types";

export const dynamic = "force-dynamic";

const VIEWER_QUERY = /* GraphQL */ `
  query SessionViewer {
    viewer {
      name
      role
      keyPrefix
    }
  }
`;

/** POST {key}: validates the key against the API and stores it in the http-only session cookie. */
export async function POST(request: NextRequest): Promise<NextResponse> {
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
    const data = await callApi<{ viewer: Pick<Viewer, "name" | "role" | "keyPrefix"> }>(key, VIEWER_QUERY);
    const response = NextResponse.json({ viewer: data.viewer });
    setSessionCookie(response, request, key);
    return response;
  } catch (error) {
    const info = toErrorInfo(error);
    const status =
      error instanceof GraphQLRequestError
        ? info.code === "UNAUTHENTICATED"
          ? 401
          : info.code === "FORBIDDEN"
            ? 403
            : 502
        : 500;
    return NextResponse.json({ error: info }, { status });
  }
}

/** DELETE: signs out by clearing the session cookie. */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const response = NextResponse.json({ ok: true });
  clearSessionCookie(response, request);
  return response;
}
