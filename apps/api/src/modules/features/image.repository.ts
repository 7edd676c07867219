import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

/** Distinct item ids of a catalogue version's table (the items a picture may belong to). */
export const readCatalogItemIds = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string },
): Promise<Set<string>> => {
  const item = quoteIdent(input.itemColumn);
  const result = await pool.query<{ item: string }>(
    `SELECT DISTINCT ${item}::text AS "item" FROM ${qualifiedTable(input.table)} WHERE ${item} IS NOT NULL`,
  );
  return new Set(result.rows.map((row) => row.item));
};

/** (item id, relative image path) of every catalogue row that has both. */
export const readCatalogImagePaths = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; pathColumn: string },
): Promise<{ itemId: string; path: string }[]> => {
  const item = quoteIdent(input.itemColumn);
  const column = quoteIdent(input.pathColumn);
  const result = await pool.query<{ item: string; path: string }>(
    `SELECT ${item}::text AS "item", ${column}::text AS "path" FROM ${qualifiedTable(input.table)}
     WHERE ${item} IS NOT NULL AND ${column} IS NOT NULL AND ${column}::text <> ''`,
  );
  return result.rows.map((row) => ({ itemId: row.item, path: row.path }));
};
