import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

export type TTextRow = { line: number; itemId: string; values: Record<string, string | null> };

/**
 * One page of a version's rows after `afterLine`, in source order (keyset on `_line`, which is unique
 * per version), with the item id and the template's columns as text. Rows without an item id are
 * skipped: a vector nobody can look up is useless. Identifiers are quoted; values are parameters.
 */
export const readTextPage = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; textColumns: string[]; afterLine: number; limit: number },
): Promise<TTextRow[]> => {
  const selected = input.textColumns.map((column, i) => `${quoteIdent(column)}::text AS "c${i}"`);
  const line = quoteIdent(LINE_COLUMN);
  const item = quoteIdent(input.itemColumn);
  const result = await pool.query<Record<string, string | null>>(
    `SELECT ${line}::text AS "line", ${item}::text AS "item"${selected.map((s) => `, ${s}`).join("")}
     FROM ${qualifiedTable(input.table)}
     WHERE ${line} > $1 AND ${item} IS NOT NULL
     ORDER BY ${line}
     LIMIT $2`,
    [input.afterLine, input.limit],
  );
  return result.rows.map((row) => ({
    line: Number(row.line),
    itemId: row.item as string,
    values: Object.fromEntries(input.textColumns.map((column, i) => [column, row[`c${i}`] ?? null])),
  }));
};

/** Rows with an item id: the number of vectors a finished run holds. */
export const countItems = async (pool: pg.Pool, table: string, itemColumn: string): Promise<number> => {
  const result = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${qualifiedTable(table)} WHERE ${quoteIdent(itemColumn)} IS NOT NULL`,
  );
  return Number(result.rows[0]?.n ?? 0);
};

/** Title (first value per item) of each of `itemIds`, looked up in the source version's table. */
export const findItemTitles = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; titleColumn: string; itemIds: string[] },
): Promise<Map<string, string | null>> => {
  const item = quoteIdent(input.itemColumn);
  const result = await pool.query<{ item: string; title: string | null }>(
    `SELECT DISTINCT ON (${item}::text) ${item}::text AS "item", ${quoteIdent(input.titleColumn)}::text AS "title"
     FROM ${qualifiedTable(input.table)}
     WHERE ${item}::text = ANY($1::text[])
     ORDER BY ${item}::text, ${quoteIdent(LINE_COLUMN)}`,
    [input.itemIds],
  );
  return new Map(result.rows.map((row) => [row.item, row.title]));
};
