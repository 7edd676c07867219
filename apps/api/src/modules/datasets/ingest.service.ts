import path from "node:path";
import type { Prisma } from "@dam/db/client";
import {
  copyRows,
  createVersionTable,
  dropVersionTable,
  MAX_DATA_COLUMNS,
  MAX_TABLE_COLUMNS,
  type TCell,
  type TDataColumn,
  toColumnName,
} from "@dam/db/data-plane";
import { openRecordSource } from "@dam/tabular/record-source";
import { inferColumnType } from "@dam/tabular/type-inference";
import { type TReject, toStoredReject, toTypedRow } from "@dam/tabular/typed-row";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { COLUMN_TYPES } from "@dam/vocabulary/column-types";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { pseudonymiseImportedColumns, ZImportPseudonymise } from "../privacy/import-pseudonymise.service.ts";
import { inferColumnRoles } from "./column-roles.ts";
import { copyCsvFiles } from "./csv-copy-load.ts";
import {
  findNewestReadyVersion,
  findVersionById,
  findVersionWithDatasetOrThrow,
} from "./datasets.repository.ts";
import {
  deleteRejectedRows,
  findUploadsByPaths,
  insertRejectedRows,
  setVersionFailed,
  setVersionLoading,
  setVersionReady,
} from "./ingest.repository.ts";

const ZFileSourceFields = z.object({
  paths: z.array(z.string().min(1)).min(1, "an import needs at least one file"),
  format: z.enum(["csv", "jsonl"]).default("csv"),
  delimiter: z.string().length(1).optional(),
  encoding: z.enum(["utf8", "latin1"]).optional(),
  /** UTF-8 only: a row holding bytes that are not UTF-8 is rejected instead of loaded with U+FFFD. */
  strictUtf8: z.boolean().optional(),
  header: z.boolean().optional(),
  /** source header -> ML role (itemId, userId, eventType, timestamp, title, price...) */
  roles: z.record(z.string(), z.string()).default({}),
  /** source header -> forced type */
  types: z.record(z.string(), z.enum(COLUMN_TYPES)).default({}),
  /** source header -> hash (keyed pseudonym) or drop, applied before the version turns READY */
  pseudonymise: ZImportPseudonymise,
});

// Versions stored before multi-file imports carry `path`; they stay readable.
export const ZFileSource = z.preprocess(
  (value) =>
    value && typeof value === "object" && "path" in value && !("paths" in value)
      ? { ...(value as Record<string, unknown>), paths: [(value as { path: unknown }).path] }
      : value,
  ZFileSourceFields,
);
export type TFileSource = z.input<typeof ZFileSourceFields>;
export type TParsedSource = z.output<typeof ZFileSourceFields>;

export type TSchemaColumn = TDataColumn & { source: string; nullable: boolean; role: string | null };

const SAMPLE_ROWS = 10_000;
const BATCH_ROWS = 5_000;
const ROLE_SAMPLE_ROWS = 1_000;

/** The header and the first `limit` rows of a source, as text (what the schema is inferred from). */
export const readSourceSample = async (
  source: TParsedSource,
  limit = SAMPLE_ROWS,
): Promise<{ header: string[]; rows: string[][] }> => {
  const reader = await openRecordSource(source);
  const rows: string[][] = [];
  try {
    for await (const items of reader.batches) {
      for (const item of items) if (item.kind === "row" && rows.length < limit) rows.push(item.fields);
      if (rows.length >= limit) break;
    }
  } finally {
    reader.close();
  }
  return { header: reader.header, rows };
};

/**
 * The version's columns from a sample: table-safe names, types (forced or inferred from up to
 * SAMPLE_ROWS rows), nullability and roles (given, else inferred from up to ROLE_SAMPLE_ROWS rows).
 * The import preview shows exactly this before the job starts.
 */
export const schemaOfSample = (
  source: { types: TParsedSource["types"]; roles: Record<string, string | null> },
  { header, rows }: { header: string[]; rows: string[][] },
): TSchemaColumn[] => {
  if (header.length > MAX_DATA_COLUMNS) {
    throw new Error(
      `the file has ${header.length.toLocaleString("en")} columns; PostgreSQL tables hold at most ${MAX_DATA_COLUMNS.toLocaleString("en")} (${MAX_TABLE_COLUMNS.toLocaleString("en")} with the row's line number)`,
    );
  }
  const nul = header.findIndex((heading) => heading.includes("\u0000"));
  if (nul >= 0) throw new Error(`header: column ${nul + 1}'s name holds a NUL byte`);
  // Roles for columns this file lacks (inherited from an earlier version) bind nothing; a null role
  // (kept from an earlier version) means none, and the column is not inferred.
  const bound = Object.fromEntries(
    Object.entries(source.roles).filter(([column]) => header.includes(column)),
  );
  const roles = Object.fromEntries(
    Object.entries(bound).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  const used = new Set<string>();
  const columns = header.map((heading, index) => {
    let name = toColumnName(heading, index);
    while (used.has(name)) name = `${name}_${index + 1}`;
    used.add(name);
    const forced = source.types[heading];
    const type: TColumnType = forced ?? inferColumnType(rows.map((row) => row[index] ?? ""));
    const nullable = rows.some((row) => (row[index] ?? "").trim() === "");
    return { name, type, source: heading, nullable, role: bound[heading] ?? null };
  });
  const inferred = inferColumnRoles(
    columns.map((column, index) => ({
      name: column.source,
      type: column.type,
      values: rows.slice(0, ROLE_SAMPLE_ROWS).map((row) => row[index] ?? ""),
    })),
    roles,
  );
  return columns.map((column) => ({
    ...column,
    role: column.source in bound ? column.role : (inferred[column.source] ?? null),
  }));
};

const inferSchema = async (
  source: TParsedSource,
  roles: Record<string, string | null>,
): Promise<TSchemaColumn[]> => schemaOfSample({ types: source.types, roles }, await readSourceSample(source));

/**
 * The roles a new version of a dataset starts from: those of its newest READY version before
 * `beforeNumber` (after any steward's edits), by source column name, null for a column without one. A
 * role a steward fixed or removed once stays so in every later import; the import's own map overrides
 * it, and columns the earlier version did not have are inferred.
 */
export const inheritedRoles = async (
  deps: TDeps,
  datasetId: string,
  beforeNumber?: number,
): Promise<Record<string, string | null>> => {
  const previous = await findNewestReadyVersion(deps.db, datasetId, beforeNumber);
  const columns = (previous?.schema ?? []) as { name: string; source?: string; role?: string | null }[];
  return Object.fromEntries(columns.map((column) => [column.source ?? column.name, column.role ?? null]));
};

/** The import's own roles over the inherited ones; an inherited role the import binds elsewhere is dropped. */
export const withInheritedRoles = (
  given: Record<string, string>,
  inherited: Record<string, string | null>,
): Record<string, string | null> => {
  const taken = new Set(Object.values(given));
  const kept = Object.entries(inherited).filter(
    ([column, role]) => !(column in given) && (role === null || !taken.has(role)),
  );
  return { ...Object.fromEntries(kept), ...given };
};

/**
 * Loads a file into the version's own table. Idempotent: every attempt starts from an empty table
 * (dropped and re-created), so a run taken over from a killed worker never duplicates rows. CSV into
 * PostgreSQL takes the byte path (one streamed COPY); the rest the string loader. The version stays
 * LOADING, invisible downstream, until the final flip to READY.
 */
export const loadVersionFromFile = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const version = await findVersionById(deps.db, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  if (version.status === "READY") {
    return { rowsLoaded: Number(version.rowCount), rowsRejected: Number(version.rejectedCount) };
  }
  const sourceParsed = ZFileSource.safeParse(version.source);
  if (!sourceParsed.success) throw new UnrecoverableError(`Version ${versionId} has no file source`);
  const source = sourceParsed.data;
  const roles = withInheritedRoles(
    source.roles,
    await inheritedRoles(deps, version.datasetId, version.number),
  );

  await deleteRejectedRows(deps.db, versionId);
  const columns = await inferSchema(source, roles).catch((error: Error) => {
    throw new UnrecoverableError(error.message);
  });
  await setVersionLoading(
    deps.db,
    versionId,
    columns.map(({ name, type, nullable, role, source: from }) => ({
      name,
      type,
      nullable,
      role,
      source: from,
    })),
  );
  await createVersionTable(deps.pool, version.tableName, columns);

  const { loaded, rejected, files } =
    source.format === "csv"
      ? await copyCsvFiles(
          deps,
          {
            versionId,
            table: version.tableName,
            source,
            header: columns.map((column) => column.source),
            columns,
          },
          ctx,
        )
      : await loadRecords(deps, versionId, version.tableName, source, columns, ctx);
  const stored = await pseudonymiseImportedColumns(deps, {
    versionId,
    table: version.tableName,
    columns,
    options: source.pseudonymise,
  });

  await setVersionReady(deps.db, versionId, {
    schema: stored.map(({ name, type, nullable, role, source: from }) => ({
      name,
      type,
      nullable,
      role,
      source: from,
    })),
    rowCount: loaded,
    rejectedCount: rejected,
    source: { ...(version.source as object), files } as Prisma.InputJsonValue,
  });
  await ctx.progress(100, `${loaded.toLocaleString("en")} rows loaded, ${rejected} rejected`);
  return { rowsLoaded: loaded, rowsRejected: rejected };
};

/**
 * The record loader for JSON Lines: parsed records are encoded as COPY text batch by batch (CSV takes the
 * byte-level path, csv-copy-load.ts). Each batch commits on its own; the version stays invisible until
 * it flips to READY.
 */
const loadRecords = async (
  deps: TDeps,
  versionId: string,
  table: string,
  source: TParsedSource,
  columns: TSchemaColumn[],
  ctx: TJobContext,
) => {
  const reader = await openRecordSource(source);
  let loaded = 0;
  let rejected = 0;
  let lines: number[] = [];
  let batch: TCell[][] = [];
  let rejects: TReject[] = [];
  // `_line` is the line in the concatenation of the files, so one number locates a row; the offsets
  // of each file are kept in the version's source to map it back to (file, line).
  const files: { name: string; lineOffset: number }[] = [];
  let lastLineInFile = 0;

  // Double buffering: one batch goes to the database while the next is parsed.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    await ctx.checkpoint();
    const [batchLines, batchRows, batchRejects] = [lines, batch, rejects];
    lines = [];
    batch = [];
    rejects = [];
    await inFlight;
    inFlight = (async () => {
      await copyRows(deps.pool, table, columns, batchLines, batchRows);
      if (batchRejects.length > 0) {
        await insertRejectedRows(deps.db, versionId, batchRejects.map(toStoredReject));
      }
      loaded += batchRows.length;
      rejected += batchRejects.length;
      await ctx.progress(
        reader.progress() * 99,
        `${loaded.toLocaleString("en")} rows loaded, ${rejected} rejected`,
      );
    })();
    // A failure surfaces at the next flush or at the end; keep it from being reported as unhandled meanwhile.
    inFlight.catch(() => undefined);
  };

  try {
    for await (const items of reader.batches) {
      for (const item of items) {
        const current = files[files.length - 1];
        if (!current || current.name !== item.file) {
          files.push({ name: item.file, lineOffset: (current?.lineOffset ?? 0) + lastLineInFile });
          lastLineInFile = 0;
        }
        lastLineInFile = Math.max(lastLineInFile, item.line);
        if (item.kind === "reject") {
          rejects.push({
            file: item.file,
            line: item.line,
            column: item.column ?? null,
            reason: item.reason,
            raw: item.raw,
          });
        } else {
          const row = toTypedRow(item.fields, columns, item.file, item.line);
          if ("reject" in row) rejects.push(row.reject);
          else {
            lines.push((files[files.length - 1]?.lineOffset ?? 0) + item.line);
            batch.push(row.cells);
          }
        }
      }
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
    await inFlight;
  } finally {
    reader.close();
    await inFlight.catch(() => undefined);
  }

  return { loaded, rejected, files };
};

/** Undo for a load that failed for good or was cancelled: no half-written version stays behind. */
export const discardVersion = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await findVersionById(deps.db, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await deleteRejectedRows(deps.db, versionId);
  await setVersionFailed(deps.db, versionId);
};

/** Lineage of an import: the source file -> the version it became. */
export const recordImportLineage = async (deps: TDeps, versionId: string, jobId: string): Promise<void> => {
  const version = await findVersionWithDatasetOrThrow(deps.db, versionId);
  const source = ZFileSource.parse(version.source);
  // Stored uploads are named "<uploadId>-<name>"; the node shows the name the file was uploaded with.
  const uploads = await findUploadsByPaths(deps.db, source.paths);
  const uploadOf = new Map(uploads.map((upload) => [upload.path, upload]));
  await recordLineage(deps, {
    from: source.paths.map((file) => {
      const upload = uploadOf.get(file);
      return {
        type: "FILE" as const,
        refId: file,
        label: upload?.originalName ?? path.basename(file),
        ...(upload ? { metadata: { uploadId: upload.id, bytes: Number(upload.bytes) } } : {}),
      };
    }),
    to: { type: "DATASET_VERSION", refId: versionId, label: `${version.dataset.name} v${version.number}` },
    jobId,
    relation: "imported_from",
  });
};
