export const APP_ERROR_CODES = [
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "QUERY_TOO_COMPLEX",
  "PRECONDITION_FAILED",
  "BAD_REQUEST",
  "PAYLOAD_TOO_LARGE",
  "SERVICE_UNAVAILABLE",
] as const;

export type TAppErrorCode = (typeof APP_ERROR_CODES)[number];

/** The one error type services throw for expected failures; format-error.ts maps codes to GraphQL. */
export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: TAppErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
