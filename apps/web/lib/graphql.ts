/**
 * Typed GraphQL helper for server components: reads the session token from the `dam_session`
 * cookie and calls the API directly. An UNAUTHENTICATED answer redirects to /sign-in.
 */
import { cookies } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { callApi, SESSION_COOKIE } from "./api";
import type { TypedDocumentString, VariablesArg } from "./document";
import { type ApiErrorInfo, GraphQLRequestError, toErrorInfo } from "./errors";

export { GraphQLRequestError } from "./errors";

export async function sessionToken(): Promise<string | undefined> {
  const store = await cookies();
  return store.get(SESSION_COOKIE)?.value || undefined;
}

export async function gql<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...variables: VariablesArg<TVariables>
): Promise<TResult> {
  const session = await sessionToken();
  if (!session) redirect("/sign-in");
  try {
    return await callApi({ session }, document, ...variables);
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED") {
      redirect("/sign-in?expired=1");
    }
    throw error;
  }
}

export type GqlResult<T> = { ok: true; data: T } | { ok: false; error: ApiErrorInfo };

/** Like gql, but returns the error as a value so pages can render it (redirects still happen). */
export async function tryGql<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...variables: VariablesArg<TVariables>
): Promise<GqlResult<TResult>> {
  try {
    return { ok: true, data: await gql(document, ...variables) };
  } catch (error) {
    unstable_rethrow(error);
    return { ok: false, error: toErrorInfo(error) };
  }
}
