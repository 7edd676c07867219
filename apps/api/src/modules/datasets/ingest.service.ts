import path from "node:path";
import {
  createVersionTable,
  dropVersionTable,
  insertRows,
  type TCell,
  type TColumnType,
  type TDataColumn,
  toColumnName,
} from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { openCsv, sampleCsv } from "./csv-source.ts";
import { inferColumnType, parseCell } from "./type-inference.ts";

export const ZFileSource = z.object({
  path: z.string(),
  format: z.literal("csv"),
  delimiter: z.string().length(1).optional(),
  encoding: z.enum(["utf8", "latin1"]).optional(),
  /** source header -> ML role (itemId, userId, eventType, timestamp, title, price...) */
  roles: z.record(z.string(), z.string()).default({}),
  /** source header -> forced type */
  types: z.record(z.string(), z.enum(["integer", "decimal", "boolean", "timestamp", "text"])).default({}),
});
export type TFileSource = z.infer<typeof ZFileSource>;

export type TSchemaColumn = TDataColumn & { source: string; nullable: boolean; role: string | null };

const SAMPLE_ROWS = 10_000;
const BATCH_ROWS = 5_000;

const inferSchema = async (source: TFileSource): Promise<TSchemaColumn[]> => {
  const { header, rows } = await sampleCsv(source.path, source, SAMPLE_ROWS);
  const used = new Set<string>();
  return header.map((heading, index) => {
    let name = toColumnName(heading, index);
    while (used.has(name)) name = `${name}_${index + 1}`;
    used.add(name);
    const forced = source.types[heading];
    const type: TColumnType = forced ?? inferColumnType(rows.map((row) => row[index] ?? ""));
    const nullable = rows.some((row) => (row[index] ?? "").trim() === "");
    return { name, type, source: heading, nullable, role: source.roles[heading] ?? null };
  });
};

type TReject = { line: number; column: string | null; reason: string; raw: string };

/**
 * Loads a file into the version's own table. Idempotent: every attempt starts from an empty table
 * (dropped and re-created), so a run taken over from a killed worker never duplicates rows. Rows
 * commit batch by batch (a long transaction would block everyone on the embedded database); the
 * version stays LOADING, invisible downstream, until the final flip to READY.
 */
export const loadVersionFromFile = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const version = await deps.db.datasetVersion.findUnique({ where: { id: versionId } });
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  if (version.status === "READY") {
    return { rowsLoaded: Number(version.rowCount), rowsRejected: Number(version.rejectedCount) };
  }
  const sourceParsed = ZFileSource.safeParse(version.source);
  if (!sourceParsed.success) throw new UnrecoverableError(`Version ${versionId} has no file source`);
  const source = sourceParsed.data;

  await deps.db.rejectedRow.deleteMany({ where: { versionId } });
  const columns = await inferSchema(source).catch((error: Error) => {
    throw new UnrecoverableError(error.message);
  });
  await deps.db.datasetVersion.update({
    where: { id: versionId },
    data: {
      status: "LOADING",
      schema: columns.map(({ name, type, nullable, role, source: from }) => ({
        name,
        type,
        nullable,
        role,
        source: from,
      })),
    },
  });
  await createVersionTable(deps.pool, version.tableName, columns);

  const reader = await openCsv(source.path, source);
  let loaded = 0;
  let rejected = 0;
  let headerSeen = false;
  let lines: number[] = [];
  let batch: TCell[][] = [];
  let rejects: TReject[] = [];

  const flush = async () => {
    await ctx.checkpoint();
    await insertRows(deps.pool, version.tableName, columns, lines, batch);
    loaded += batch.length;
    const skipped = reader.skipped.splice(0).map((skip) => ({ ...skip, column: null }));
    rejects.push(...skipped);
    rejected += rejects.length;
    if (rejects.length > 0) {
      await deps.db.rejectedRow.createMany({ data: rejects.map((reject) => ({ versionId, ...reject })) });
    }
    lines = [];
    batch = [];
    rejects = [];
    const percent = reader.totalBytes > 0 ? (reader.bytesRead() / reader.totalBytes) * 99 : 0;
    await ctx.progress(percent, `${loaded.toLocaleString("en")} rows loaded, ${rejected} rejected`);
  };

  try {
    for await (const record of reader.records) {
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      const row = toTypedRow(record.fields, columns, record.line);
      if ("reject" in row) rejects.push(row.reject);
      else {
        lines.push(record.line);
        batch.push(row.cells);
      }
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
  } finally {
    reader.close();
  }

  await deps.db.datasetVersion.update({
    where: { id: versionId },
    data: { status: "READY", rowCount: loaded, rejectedCount: rejected, readyAt: new Date() },
  });
  await ctx.progress(100, `${loaded.toLocaleString("en")} rows loaded, ${rejected} rejected`);
  return { rowsLoaded: loaded, rowsRejected: rejected };
};

const toTypedRow = (
  fields: string[],
  columns: TSchemaColumn[],
  line: number,
): { cells: TCell[] } | { reject: TReject } => {
  const raw = fields.join(",").slice(0, 2000);
  if (fields.length !== columns.length) {
    return {
      reject: {
        line,
        column: null,
        raw,
        reason: `expected ${columns.length} fields, found ${fields.length}`,
      },
    };
  }
  const cells: TCell[] = [];
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const parsed = parseCell(column.type, fields[i]);
    if (!parsed.ok) return { reject: { line, column: column.source, raw, reason: parsed.reason } };
    cells.push(parsed.value);
  }
  return { cells };
};

/** Undo for a load that failed for good or was cancelled: no half-written version stays behind. */
export const discardVersion = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await deps.db.datasetVersion.findUnique({ where: { id: versionId } });
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await deps.db.rejectedRow.deleteMany({ where: { versionId } });
  await deps.db.datasetVersion.update({ where: { id: versionId }, data: { status: "FAILED", rowCount: 0 } });
};

/** Lineage of an import: the source file -> the version it became. */
export const recordImportLineage = async (deps: TDeps, versionId: string, jobId: string): Promise<void> => {
  const version = await deps.db.datasetVersion.findUniqueOrThrow({
    where: { id: versionId },
    include: { dataset: true },
  });
  const source = ZFileSource.parse(version.source);
  await recordLineage(deps, {
    from: [{ type: "FILE", refId: source.path, label: path.basename(source.path) }],
    to: { type: "DATASET_VERSION", refId: versionId, label: `${version.dataset.name} v${version.number}` },
    jobId,
    relation: "imported_from",
  });
};
