import { type ApolloServerPlugin, type BaseContext, HeaderMap } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { APP_ERROR_CODES, AppError, type TAppErrorCode } from "./errors/app-error.ts";
import { logger } from "./logger.ts";

type TCodeMapping = { extensionsCode: string; httpStatus: number };

const mapCode = (code: TAppErrorCode): TCodeMapping => {
  switch (code) {
    case "BAD_USER_INPUT":
      return { extensionsCode: "BAD_USER_INPUT", httpStatus: 400 };
    case "UNAUTHENTICATED":
      return { extensionsCode: "UNAUTHENTICATED", httpStatus: 401 };
    case "FORBIDDEN":
      return { extensionsCode: "FORBIDDEN", httpStatus: 403 };
    case "NOT_FOUND":
      return { extensionsCode: "NOT_FOUND", httpStatus: 404 };
    case "CONFLICT":
      return { extensionsCode: "CONFLICT", httpStatus: 409 };
    case "RATE_LIMITED":
      return { extensionsCode: "RATE_LIMITED", httpStatus: 429 };
    case "QUERY_TOO_COMPLEX":
      return { extensionsCode: "QUERY_TOO_COMPLEX", httpStatus: 400 };
    case "PRECONDITION_FAILED":
      return { extensionsCode: "PRECONDITION_FAILED", httpStatus: 412 };
    case "BAD_REQUEST":
      return { extensionsCode: "BAD_REQUEST", httpStatus: 400 };
    case "PAYLOAD_TOO_LARGE":
      return { extensionsCode: "PAYLOAD_TOO_LARGE", httpStatus: 413 };
    case "SERVICE_UNAVAILABLE":
      return { extensionsCode: "SERVICE_UNAVAILABLE", httpStatus: 503 };
    default: {
      const unreachable: never = code;
      throw new Error(`Unmapped error code ${String(unreachable)}`);
    }
  }
};

/** HTTP status of a code, for answers written outside Apollo (body parsing, /metrics). */
export const httpStatusOf = (code: TAppErrorCode): number => mapCode(code).httpStatus;

// Response headers an error asks for: RATE_LIMITED and SERVICE_UNAVAILABLE say when to come back.
const headersOf = (error: AppError): HeaderMap | undefined => {
  const retryAfter = error.details.retryAfterSeconds;
  return (error.code === "RATE_LIMITED" || error.code === "SERVICE_UNAVAILABLE") &&
    typeof retryAfter === "number"
    ? new HeaderMap([["retry-after", String(retryAfter)]])
    : undefined;
};

/** Turns an AppError into the GraphQLError clients see (code in extensions, HTTP status for transport-level errors). */
export const toGraphQLError = (error: AppError): GraphQLError => {
  const { extensionsCode, httpStatus } = mapCode(error.code);
  const headers = headersOf(error);
  return new GraphQLError(error.message, {
    extensions: {
      code: extensionsCode,
      http: { status: httpStatus, ...(headers ? { headers } : {}) },
      ...error.details,
    },
  });
};

/** The GraphQL-shaped body of an error answered outside Apollo: `{ errors: [{ message, extensions }] }`. */
export const toErrorBody = (error: AppError) => ({
  errors: [
    { message: error.message, extensions: { code: mapCode(error.code).extensionsCode, ...error.details } },
  ],
});

// Codes Apollo itself produces for malformed requests: passed through unchanged.
const APOLLO_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

export const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    const { extensionsCode } = mapCode(original.code);
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: extensionsCode, ...original.details },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && (APOLLO_CODES.has(code) || mapCodeSafe(code))) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error("unexpected error", { error: original instanceof Error ? original.stack : String(original) });
  return {
    message: "Internal server error",
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
};

const mapCodeSafe = (code: string): boolean => APP_ERROR_CODE_SET.has(code);
const APP_ERROR_CODE_SET: ReadonlySet<string> = new Set<string>(APP_ERROR_CODES);

/**
 * A resolver's SERVICE_UNAVAILABLE (a store the operation needs is away, nothing was written) answers
 * HTTP 503 with Retry-After, as transport-level errors do, so clients and proxies know to retry.
 */
export const serviceUnavailablePlugin = <TContext extends BaseContext>(): ApolloServerPlugin<TContext> => ({
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const unavailable = (errors ?? [])
          .map((error) => unwrapResolverError(error))
          .find(
            (error): error is AppError => error instanceof AppError && error.code === "SERVICE_UNAVAILABLE",
          );
        if (!unavailable) return;
        response.http.status = 503;
        const retryAfter = unavailable.details.retryAfterSeconds;
        if (typeof retryAfter === "number") response.http.headers.set("retry-after", String(retryAfter));
      },
    };
  },
});
