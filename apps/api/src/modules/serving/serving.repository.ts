// Reads of the data plane for serving: item metadata from a catalogue version and the users'
// training history from an events version, both found by column role. No decisions here.

import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { isUuid } from "../core/input-text.ts";

const ZColumn = z.object({ name: z.string(), role: z.string().nullable().optional() });

export type TLineageVersion = {
  id: string;
  kind: string;
  table: string;
  columns: { name: string; role: string | null }[];
  rowCount: number;
};

/**
 * The READY dataset versions among a model's input ids (models/model-inputs.ts#modelInputIds), with
 * their kind and column roles. Ids that are no uuid cannot name a version and are skipped.
 */
export const findLineageVersions = async (deps: TDeps, inputIds: string[]): Promise<TLineageVersion[]> => {
  const ids = inputIds.filter(isUuid);
  if (ids.length === 0) return [];
  const versions = await deps.db.datasetVersion.findMany({
    where: { id: { in: ids }, status: "READY" },
    include: { dataset: { select: { kind: true } } },
  });
  return versions.map((v) => {
    const parsed = z.array(ZColumn).safeParse(v.schema);
    return {
      id: v.id,
      kind: v.dataset.kind,
      table: v.tableName,
      columns: parsed.success ? parsed.data.map((c) => ({ name: c.name, role: c.role ?? null })) : [],
      rowCount: Number(v.rowCount),
    };
  });
};

const columnOf = (version: TLineageVersion, role: string) =>
  version.columns.find((c) => c.role === role)?.name ?? null;

export type TCatalogRow = {
  itemId: string;
  title: string | null;
  category: string | null;
  price: number | null;
};

/** One row per item id of a catalogue version (the first line wins for duplicated ids). */
export const readCatalogRows = async (deps: TDeps, version: TLineageVersion): Promise<TCatalogRow[]> => {
  const item = columnOf(version, "itemId");
  if (!item) return [];
  const pick = (role: string, cast: string) => {
    const column = columnOf(version, role);
    return column ? `${quoteIdent(column)}::${cast}` : `NULL::${cast}`;
  };
  const { rows } = await deps.pool.query<TCatalogRow>(
    `SELECT DISTINCT ON (${quoteIdent(item)}::text) ${quoteIdent(item)}::text AS "itemId",
            ${pick("title", "text")} AS "title", ${pick("category", "text")} AS "category",
            ${pick("price", "double precision")} AS "price"
       FROM ${qualifiedTable(version.table)}
      WHERE ${quoteIdent(item)} IS NOT NULL
      ORDER BY ${quoteIdent(item)}::text, "_line"`,
  );
  return rows;
};

export type THistoryRow = { userId: string; itemId: string; type: string | null };

/** Every (user, item, type) of an events version, oldest first (null when it lacks user/item roles). */
export const readTrainingEvents = async (
  deps: TDeps,
  version: TLineageVersion,
): Promise<THistoryRow[] | null> => {
  const user = columnOf(version, "userId");
  const item = columnOf(version, "itemId");
  if (!user || !item) return null;
  const type = columnOf(version, "eventType");
  const time = columnOf(version, "timestamp");
  const { rows } = await deps.pool.query<THistoryRow>(
    `SELECT ${quoteIdent(user)}::text AS "userId", ${quoteIdent(item)}::text AS "itemId",
            ${type ? `${quoteIdent(type)}::text` : "NULL::text"} AS "type"
       FROM ${qualifiedTable(version.table)}
      WHERE ${quoteIdent(user)} IS NOT NULL AND ${quoteIdent(item)} IS NOT NULL
      ORDER BY ${time ? `${quoteIdent(time)}, ` : ""}"_line"`,
  );
  return rows;
};

const SERVING_MODEL_SELECT = {
  id: true,
  name: true,
  version: true,
  algorithm: true,
  location: true,
  inputs: true,
  promotedAt: true,
} as const;

/** What serving reads of a model version: where its artifact is and what it was trained from. */
export type TServingModelRow = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  location: string | null;
  /** Stored JSON, read by models/model-inputs.ts#readModelInputs. */
  inputs: unknown;
  promotedAt: Date | null;
};

/** The rows of every ACTIVE version. */
export const findActiveServingRows = (deps: TDeps): Promise<TServingModelRow[]> =>
  deps.db.modelVersion.findMany({ where: { status: "ACTIVE" }, select: SERVING_MODEL_SELECT });

export const findServingRow = (deps: TDeps, id: string): Promise<TServingModelRow | null> =>
  deps.db.modelVersion.findUnique({ where: { id }, select: SERVING_MODEL_SELECT });

export const findNewItemSetting = (deps: TDeps, modelName: string) =>
  deps.db.newItemSetting.findUnique({ where: { modelName } });

/**
 * Sets a model name's new-item share and, in the same transaction, writes what `alsoWrite` writes (the
 * audit entry, given the share before). Returns the stored row.
 */
export const saveNewItemShare = (
  deps: TDeps,
  input: { modelName: string; share: number },
  alsoWrite: (tx: TAuditedTransaction, previousShare: number | null) => Promise<void>,
) =>
  deps.db.$transaction(async (tx) => {
    const before = await tx.newItemSetting.findUnique({ where: { modelName: input.modelName } });
    const row = await tx.newItemSetting.upsert({
      where: { modelName: input.modelName },
      create: { modelName: input.modelName, share: input.share },
      update: { share: input.share },
    });
    await alsoWrite(tx, before?.share ?? null);
    return row;
  });

export type TLiveEventRow = {
  userId: string;
  itemId: string;
  type: string;
  ts: Date;
  apiKeyId: string | null;
};

/**
 * Inserts live events in a transaction that commits only after `beforeCommit` resolved; when it throws,
 * nothing of the batch is stored.
 */
export const insertLiveEvents = async (
  deps: TDeps,
  rows: TLiveEventRow[],
  options: { maxWait: number; timeout: number; beforeCommit: () => Promise<void> },
): Promise<void> => {
  const { beforeCommit, ...limits } = options;
  await deps.db.$transaction(async (tx) => {
    await tx.liveEvent.createMany({ data: rows });
    await beforeCommit();
  }, limits);
};
