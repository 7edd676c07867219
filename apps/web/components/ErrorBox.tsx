import type { ApiErrorInfo } from "@/lib/errors";

/** Renders an API error with its code; FORBIDDEN gets an explicit role hint. */
export function ErrorBox({ error, title }: { error: ApiErrorInfo; title?: string }) {
  return (
    <div className="error-box" role="alert">
      {title ? <strong className="error-title">{title}</strong> : null}
      <div>
        <span className="code">{error.code}</span> {error.message}
      </div>
    </div>
  );
}

export function ForbiddenBox({ requiredRole, error }: { requiredRole: string; error?: ApiErrorInfo }) {
  return (
    <div className="error-box forbidden" role="alert">
      <strong className="error-title">You need the {requiredRole} role to see this page.</strong>
      {error ? (
        <div>
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
    </div>
  );
}
