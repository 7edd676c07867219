// The plumbing every streamed file download shares (rejects.csv, labels.jsonl / labels.csv): headers,
// writes that wait for the socket, and one way to answer an error before or during the stream.
import type { Response } from "express";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";

const STATUS: Partial<Record<AppError["code"], number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PRECONDITION_FAILED: 409,
};

/** Status 200 and the headers of an attachment that must not be cached. */
export const startDownload = (res: Response, contentType: string, filename: string): void => {
  res.status(200);
  res.setHeader("content-type", contentType);
  res.setHeader("cache-control", "no-store");
  res.setHeader("content-disposition", `attachment; filename="${filename}"`);
};

/** Writes one chunk; when the socket's buffer is full, waits for it to drain, so a slow client slows the reads. */
export const writeChunk = (res: Response, chunk: string | Uint8Array): Promise<void> =>
  res.write(chunk)
    ? Promise.resolve()
    : new Promise((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });

/**
 * Answers a download that failed. Before the first byte: the AppError's status and code as JSON (500 for
 * anything else). Mid-stream the status is gone, so the connection is cut and the client sees a
 * truncated file instead of a complete-looking one.
 */
export const failDownload = (res: Response, error: unknown, what: string): void => {
  if (res.headersSent) {
    logger.error(`${what} failed mid-stream`, { error: String(error) });
    res.destroy();
    return;
  }
  const status = error instanceof AppError ? STATUS[error.code] : undefined;
  if (error instanceof AppError && status) {
    res.status(status).json({ error: { code: error.code, message: error.message } });
    return;
  }
  logger.error(`${what} failed`, { error: error instanceof Error ? error.stack : String(error) });
  res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } });
};
