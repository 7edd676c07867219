import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { toCsvLine } from "../profiling/csv-format.ts";
import { LABEL_EXPORT_COLUMNS, readExportPage, type TExportRow } from "./labelling-export.repository.ts";

const PAGE_ROWS = 1_000;
const STATUS: Partial<Record<AppError["code"], number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PRECONDITION_FAILED: 409,
};

export type TLabelsFormat = "jsonl" | "csv";

// JSON Lines keep the label and the payload as JSON (parsed back from their text columns), so a reader
// gets the exact values; CSV keeps them as JSON text.
const toJsonLine = (row: TExportRow): string =>
  `${JSON.stringify({
    ...row,
    label_json: undefined,
    value: row.label_json === null ? null : JSON.parse(String(row.label_json)),
    payload: row.payload === null ? null : JSON.parse(String(row.payload)),
  })}\n`;

/**
 * GET /api/v1/versions/:id/labels.jsonl and labels.csv: a READY LABELS version's rows, read in keyset
 * pages on _line and written with backpressure. Every download is audited (who took which labels).
 */
export const downloadLabels = async (
  deps: TDeps,
  req: Request,
  res: Response,
  format: TLabelsFormat,
): Promise<void> => {
  try {
    const principal = await authenticate(deps.db, req.headers.authorization);
    assertCan(principal, "catalog:read");
    const versionId = String(req.params.id ?? "");
    const version = /^[0-9a-f-]{36}$/i.test(versionId)
      ? await deps.db.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
      : null;
    if (version?.dataset.kind !== "LABELS") {
      throw new AppError("NOT_FOUND", `Labels dataset version ${versionId} not found`);
    }
    if (version.status !== "READY") {
      throw new AppError("PRECONDITION_FAILED", `Version ${version.number} is ${version.status}, not READY`);
    }
    await recordAudit(deps.db, principal, "labels.download", "DatasetVersion", version.id, { format });
    res.status(200);
    res.setHeader("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson");
    res.setHeader("cache-control", "no-store");
    res.setHeader(
      "content-disposition",
      `attachment; filename="${version.dataset.name}-v${version.number}.${format}"`,
    );
    if (format === "csv") await write(res, toCsvLine(LABEL_EXPORT_COLUMNS.map((column) => column.name)));
    let afterLine = Number.MIN_SAFE_INTEGER;
    while (!res.destroyed) {
      const page = await readExportPage(deps.pool, { table: version.tableName, afterLine, limit: PAGE_ROWS });
      if (page.length === 0) break;
      await write(
        res,
        page
          .map(({ row }) =>
            format === "csv"
              ? toCsvLine(LABEL_EXPORT_COLUMNS.map((column) => row[column.name] ?? null))
              : toJsonLine(row),
          )
          .join(""),
      );
      afterLine = page[page.length - 1]?.line ?? afterLine;
      if (page.length < PAGE_ROWS) break;
    }
    res.end();
  } catch (error) {
    if (res.headersSent) {
      logger.error("labels download failed mid-stream", { error: String(error) });
      res.destroy();
      return;
    }
    if (error instanceof AppError && STATUS[error.code]) {
      res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message } });
      return;
    }
    logger.error("labels download failed", { error: error instanceof Error ? error.stack : String(error) });
    res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } });
  }
};

// Waits for the socket to drain when its buffer is full, so a slow client slows the reads.
const write = (res: Response, chunk: string): Promise<void> =>
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
