/** Errors shared by server and client code. Kept free of server-only imports. */

export interface GraphQLErrorPayload {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorPayload[];
}

/** Code used when the API cannot be reached at all (network error, timeout, non-GraphQL answer). */
export const API_UNREACHABLE = "API_UNREACHABLE";

/** A GraphQL error answer (or a transport failure), carrying `extensions.code` of the first error. */
export class GraphQLRequestError extends Error {
  readonly code: string;
  readonly errors: GraphQLErrorPayload[];

  constructor(code: string, message: string, errors: GraphQLErrorPayload[] = []) {
    super(message);
    this.name = "GraphQLRequestError";
    this.code = code;
    this.errors = errors;
  }

  static fromErrors(errors: GraphQLErrorPayload[]): GraphQLRequestError {
    const first = errors[0];
    const code = typeof first?.extensions?.code === "string" ? first.extensions.code : "GRAPHQL_ERROR";
    const message = errors.map((e) => e.message).join("; ") || "The API answered with an error.";
    return new GraphQLRequestError(code, message, errors);
  }
}

/** A plain, serialisable description of an error, safe to pass from server to client components. */
export interface ApiErrorInfo {
  code: string;
  message: string;
}

export function toErrorInfo(error: unknown): ApiErrorInfo {
  if (error instanceof GraphQLRequestError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: "INTERNAL_ERROR", message: error.message };
  return { code: "INTERNAL_ERROR", message: String(error) };
}

/** Parses a GraphQL HTTP answer, whatever its status, into data or a GraphQLRequestError. */
export async function parseGraphQLResponse<T>(response: Response, apiLabel: string): Promise<T> {
  const text = await response.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new GraphQLRequestError(
      response.ok ? API_UNREACHABLE : `HTTP_${response.status}`,
      `${apiLabel} answered HTTP ${response.status} with a non-GraphQL body.`,
    );
  }
  if (body.errors && body.errors.length > 0) throw GraphQLRequestError.fromErrors(body.errors);
  if (body.data === undefined || body.data === null) {
    throw new GraphQLRequestError(`HTTP_${response.status}`, `${apiLabel} answered without data.`);
  }
  return body.data;
}
