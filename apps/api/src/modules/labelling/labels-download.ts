import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { toCsvLine } from "../column-stats/csv-format.ts";
import { failDownload, startDownload, writeChunk } from "../core/streamed-download.ts";
import { findVersionWithDataset } from "../datasets/dataset-versions.service.ts";
import { maskRecord } from "../privacy/json-masking.ts";
import { findLinkedVersionIds } from "../privacy/pii-lineage.repository.ts";
import { maskerFor } from "../privacy/pii-masking.service.ts";
import { LABEL_EXPORT_COLUMNS, readExportPage, type TExportRow } from "./labelling-export.repository.ts";

const PAGE_ROWS = 1_000;

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
    const principal = await authenticate(deps, req.headers.authorization);
    assertCan(principal, "catalog:read");
    const versionId = String(req.params.id ?? "");
    const version = /^[0-9a-f-]{36}$/i.test(versionId) ? await findVersionWithDataset(deps, versionId) : null;
    if (version?.dataset.kind !== "LABELS") {
      throw new AppError("NOT_FOUND", `Labels dataset version ${versionId} not found`);
    }
    if (version.status !== "READY") {
      throw new AppError("PRECONDITION_FAILED", `Version ${version.number} is ${version.status}, not READY`);
    }
    // The payload holds fields of the labelled version's rows: its tags (and its ancestors') mask them.
    const masker = await maskerFor(deps, principal, [
      version.id,
      ...(await findLinkedVersionIds(deps, version.id, "UPSTREAM")),
    ]);
    await recordAudit(deps.db, principal, "labels.download", "DatasetVersion", version.id, { format });
    startDownload(
      res,
      format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      `${version.dataset.name}-v${version.number}.${format}`,
    );
    if (format === "csv") await writeChunk(res, toCsvLine(LABEL_EXPORT_COLUMNS.map((column) => column.name)));
    let afterLine = Number.MIN_SAFE_INTEGER;
    while (!res.destroyed) {
      const page = await readExportPage(deps.pool, { table: version.tableName, afterLine, limit: PAGE_ROWS });
      if (page.length === 0) break;
      await writeChunk(
        res,
        page
          .map(({ row: stored }) => (masker ? maskRecord(stored, masker, ["payload", "label_json"]) : stored))
          .map((row) =>
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
    failDownload(res, error, "labels download");
  }
};
