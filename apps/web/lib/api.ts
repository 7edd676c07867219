/**
 * Server-side access to the DAM GraphQL API. Used by route handlers and server components;
 * never imported by client components (the session token must stay on the server).
 */
import { requestBody, type TypedDocumentString, type VariablesArg } from "./document";
import { API_UNREACHABLE, GraphQLRequestError, parseGraphQLResponse } from "./errors";

export const SESSION_COOKIE = "dam_session";

/**
 * How the console authenticates to the API: a console session (the token in the cookie), or, only
 * while signing in, the API key the user typed.
 */
export type ApiCredentials = { session: string } | { key: string };

export function authorizationHeader(credentials: ApiCredentials): string {
  return "session" in credentials ? `Session ${credentials.session}` : `Bearer ${credentials.key}`;
}

const DEFAULT_API_URL = "http://127.0.0.1:4000";
const TIMEOUT_MS = 30_000;

/** Base URL of the API (DAM_API_URL), without a trailing slash. */
export function apiBaseUrl(): string {
  const raw = process.env.DAM_API_URL?.trim() || DEFAULT_API_URL;
  return raw.replace(/\/+$/, "");
}

export function graphqlEndpoint(): string {
  return `${apiBaseUrl()}/graphql`;
}

export function unreachableError(cause: unknown): GraphQLRequestError {
  const reason =
    cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : "";
  return new GraphQLRequestError(
    API_UNREACHABLE,
    `Cannot reach the DAM API at ${graphqlEndpoint()}${reason ? ` (${reason})` : ""}. Is it running?`,
  );
}

/** Sends a raw GraphQL body to the API with the given credentials; returns the upstream Response. */
export async function postToApi(credentials: ApiCredentials, body: string): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    authorization: authorizationHeader(credentials),
  };
  try {
    return await fetch(graphqlEndpoint(), {
      method: "POST",
      headers,
      body,
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachableError(error);
  }
}

/** Runs one GraphQL operation with explicit credentials. Throws GraphQLRequestError on any failure. */
export async function callApi<TResult, TVariables>(
  credentials: ApiCredentials,
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<TResult> {
  const response = await postToApi(credentials, requestBody(document, variables));
  return parseGraphQLResponse<TResult>(response, `The DAM API at ${graphqlEndpoint()}`);
}
