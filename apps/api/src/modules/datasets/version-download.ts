import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { toCsvLine } from "../column-stats/csv-format.ts";
import { failDownload, startDownload, writeChunk } from "../core/streamed-download.ts";
import { maskCells, maskRecord } from "../privacy/json-masking.ts";
import { maskerFor } from "../privacy/pii-masking.service.ts";
import { readRowsAfterLine } from "./version-rows.repository.ts";
import { cellJson, cellText, findReadableVersion } from "./version-rows.service.ts";

const PAGE_ROWS = 2_000;

export type TRowsFormat = "csv" | "jsonl";

/**
 * GET /api/v1/versions/:id/rows.csv and rows.jsonl: every row of a READY version (cleaned data,
 * audiences, imports), read in keyset pages on _line and written as the socket drains, so memory stays
 * flat whatever the version's size. Audited: who took which data.
 */
export const downloadVersionRows = async (
  deps: TDeps,
  req: Request,
  res: Response,
  format: TRowsFormat,
): Promise<void> => {
  try {
    const principal = await authenticate(deps, req.headers.authorization);
    assertCan(principal, "catalog:read");
    const { version, columns } = await findReadableVersion(deps, String(req.params.id ?? ""));
    await recordAudit(deps.db, principal, "version.download", "DatasetVersion", version.id, { format });
    startDownload(
      res,
      format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
      `${version.dataset.name}-v${version.number}.${format}`,
    );
    const names = columns.map((column) => column.name);
    const masker = await maskerFor(deps, principal, [version.id]);
    if (format === "csv") await writeChunk(res, toCsvLine(names));
    let afterLine = Number.MIN_SAFE_INTEGER;
    while (!res.destroyed) {
      const page = await readRowsAfterLine(deps.pool, {
        table: version.tableName,
        columns: names,
        afterLine,
        limit: PAGE_ROWS,
      });
      if (page.length === 0) break;
      const text = page
        .map((row) => {
          if (format === "csv") {
            const cells = columns.map((column) => cellText(row[column.name]));
            return toCsvLine(masker ? maskCells(cells, names, masker) : cells);
          }
          const record = Object.fromEntries(
            columns.map((column) => [column.name, cellJson(row[column.name], column.type)]),
          );
          return `${JSON.stringify(masker ? maskRecord(record, masker) : record)}\n`;
        })
        .join("");
      await writeChunk(res, text);
      afterLine = Number(page[page.length - 1]?._line ?? afterLine);
      if (page.length < PAGE_ROWS) break;
    }
    res.end();
  } catch (error) {
    failDownload(res, error, "rows download");
  }
};
