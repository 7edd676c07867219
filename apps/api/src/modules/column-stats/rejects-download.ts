import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { failDownload, startDownload, writeChunk } from "../core/streamed-download.ts";
import { maskerFor } from "../privacy/pii-masking.service.ts";
import { maskRejectedRow, versionColumnNames } from "../privacy/rejects-masking.ts";
import { findDatasetByIdOrThrow, readRejectedRowsAfter } from "./column-stats.repository.ts";
import { findVersion } from "./column-stats.service.ts";
import { toCsvLine } from "./csv-format.ts";

const PAGE_ROWS = 1_000;

/**
 * GET /api/v1/versions/:id/rejects.csv: the rejected rows of a version as CSV, read from Postgres in
 * keyset pages and written with backpressure, so a version with millions of rejects never sits in memory.
 */
export const downloadRejects = async (deps: TDeps, req: Request, res: Response): Promise<void> => {
  try {
    const principal = await authenticate(deps, req.headers.authorization);
    assertCan(principal, "catalog:read");
    const versionId = String(req.params.id ?? "");
    const version = await findVersion(deps, versionId);
    if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
    const dataset = await findDatasetByIdOrThrow(deps.db, version.datasetId);

    const masker = await maskerFor(deps, principal, [version.id]);
    const columns = versionColumnNames(version.schema);
    startDownload(res, "text/csv; charset=utf-8", `${dataset.name}-v${version.number}-rejects.csv`);
    await writeChunk(res, toCsvLine(["file", "line", "column", "reason", "raw"]));
    let lastId: bigint | null = null;
    while (!res.destroyed) {
      const page = await readRejectedRowsAfter(deps.db, versionId, lastId, PAGE_ROWS);
      if (page.length === 0) break;
      await writeChunk(
        res,
        page
          .map((stored) => (masker ? maskRejectedRow(stored, masker, columns) : stored))
          .map((row) => toCsvLine([row.file, row.line, row.column, row.reason, row.raw]))
          .join(""),
      );
      lastId = page[page.length - 1]?.id ?? null;
      if (page.length < PAGE_ROWS) break;
    }
    res.end();
  } catch (error) {
    failDownload(res, error, "rejects download");
  }
};
