/** GraphQL from client components, through the same-origin /api/graphql proxy (the key stays server-side). */
import { requestBody, type TypedDocumentString, type VariablesArg } from "./document";
import { API_UNREACHABLE, GraphQLRequestError, parseGraphQLResponse } from "./errors";

export async function clientGql<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch("/api/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: requestBody(document, variables),
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
    return await parseGraphQLResponse<TResult>(response, "The console's GraphQL proxy");
  } catch (error) {
    if (error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED") {
      window.location.assign("/sign-in?expired=1");
    }
    throw error;
  }
}
