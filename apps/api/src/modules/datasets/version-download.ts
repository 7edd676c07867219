import { writeParquet } from "@dam/tabular/parquet-writer";
import { isColumnType } from "@dam/vocabulary/column-types";
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

export type TRowsFormat = "csv" | "jsonl" | "parquet";

const CONTENT_TYPE: Record<TRowsFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson",
  parquet: "application/vnd.apache.parquet",
};

/**
 * GET /api/v1/versions/:id/rows.csv, rows.jsonl and rows.parquet: every row of a READY version (cleaned data,
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
    startDownload(res, CONTENT_TYPE[format], `${version.dataset.name}-v${version.number}.${format}`);
    const names = columns.map((column) => column.name);
    // Values of PII-tagged columns go out masked to callers without pii:read (privacy module); a masked
    // column is text in every format.
    const masker = await maskerFor(deps, principal, [version.id]);
    const pages = readPages(deps, version.tableName, names, () => res.destroyed);
    if (format === "parquet") {
      await writeParquet({
        columns: columns.map((column) => ({
          name: column.name,
          type: masker?.columns.has(column.name) ? "text" : isColumnType(column.type) ? column.type : "text",
        })),
        rows: (async function* () {
          for await (const page of pages) yield* masker ? page.map((row) => maskRecord(row, masker)) : page;
        })(),
        sink: (bytes) => writeChunk(res, bytes),
      });
    } else {
      if (format === "csv") await writeChunk(res, toCsvLine(names));
      for await (const page of pages) {
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
      }
    }
    res.end();
  } catch (error) {
    failDownload(res, error, "rows download");
  }
};

/** The version's rows in keyset pages on _line, until the table is read or the client went away. */
async function* readPages(deps: TDeps, table: string, columns: string[], gone: () => boolean) {
  let afterLine = Number.MIN_SAFE_INTEGER;
  while (!gone()) {
    const page = await readRowsAfterLine(deps.pool, { table, columns, afterLine, limit: PAGE_ROWS });
    if (page.length === 0) return;
    yield page;
    afterLine = Number(page[page.length - 1]?._line ?? afterLine);
    if (page.length < PAGE_ROWS) return;
  }
}
