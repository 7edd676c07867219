/** GraphQL from client components, through the same-origin /api/graphql proxy (the key stays server-side). */
import { API_UNREACHABLE, GraphQLRequestError, parseGraphQLResponse } from "./errors";

export async function clientGql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/api/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables: variables ?? {} }),
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch (error) {
    throw new GraphQLRequestError(
      API_UNREACHABLE,
      `Cannot reach the console server: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return await parseGraphQLResponse<T>(response, "The console's GraphQL proxy");
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED") {
      window.location.assign("/sign-in?expired=1");
    }
    throw error;
  }
}
