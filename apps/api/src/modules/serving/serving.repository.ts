// Reads of the data plane for serving: item metadata from a catalogue version and the users'
// training history from an events version, both found by column role. No decisions here.

import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { readInputRefs } from "../models/model-inputs.ts";

const ZColumn = z.object({ name: z.string(), role: z.string().nullable().optional() });

export type TLineageVersion = {
  id: string;
  kind: string;
  table: string;
  columns: { name: string; role: string | null }[];
  rowCount: number;
};

/**
 * The READY dataset versions among a model's input ids, with their kind and column roles, read by the
 * one reader of stored model inputs (models/model-inputs.ts).
 */
export const findLineageVersions = async (deps: TDeps, inputIds: string[]): Promise<TLineageVersion[]> => {
  const ids = readInputRefs(inputIds).map((ref) => ref.id);
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
