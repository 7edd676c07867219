import type { RejectedRow } from "@dam/db/client";
import type { Request, Response } from "express";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { authenticate } from "../auth/auth.service.ts";
import { assertCan } from "../auth/permissions.ts";
import { toCsvLine } from "./csv-format.ts";
import { findVersion } from "./profiling.service.ts";

const PAGE_ROWS = 1_000;

const STATUS: Partial<Record<AppError["code"], number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/**
 * GET /api/v1/versions/:id/rejects.csv: the rejected rows of a version as CSV, read from Postgres in
 * keyset pages and written with backpressure, so a version with millions of rejects never sits in memory.
 */
export const downloadRejects = async (deps: TDeps, req: Request, res: Response): Promise<void> => {
  try {
    const principal = await authenticate(deps.db, req.headers.authorization);
    assertCan(principal, "catalog:read");
    const versionId = String(req.params.id ?? "");
    const version = await findVersion(deps, versionId);
    if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
    const dataset = await deps.db.dataset.findUniqueOrThrow({ where: { id: version.datasetId } });

    res.status(200);
    res.setHeader("content-type", "text/csv; charset=utf-8");
    res.setHeader("cache-control", "no-store");
    res.setHeader(
      "content-disposition",
      `attachment; filename="${dataset.name}-v${version.number}-rejects.csv"`,
    );
    await write(res, toCsvLine(["file", "line", "column", "reason", "raw"]));
    let lastId: bigint | null = null;
    while (!res.destroyed) {
      const page: RejectedRow[] = await deps.db.rejectedRow.findMany({
        where: { versionId, ...(lastId !== null ? { id: { gt: lastId } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE_ROWS,
      });
      if (page.length === 0) break;
      await write(
        res,
        page.map((row) => toCsvLine([row.file, row.line, row.column, row.reason, row.raw])).join(""),
      );
      lastId = page[page.length - 1]?.id ?? null;
      if (page.length < PAGE_ROWS) break;
    }
    res.end();
  } catch (error) {
    if (res.headersSent) {
      logger.error("rejects download failed mid-stream", { error: String(error) });
      res.destroy();
      return;
    }
    if (error instanceof AppError && STATUS[error.code]) {
      res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message } });
      return;
    }
    logger.error("rejects download failed", { error: error instanceof Error ? error.stack : String(error) });
    res.status(500).json({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } });
  }
};

// Waits for the socket to drain when its buffer is full, so a slow client slows the reads instead of
// filling memory.
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
