import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

// Reads of a catalogue version's table for generated label tasks. Identifiers are quoted; values are
// parameters. Each item counts once, as its first line.

/** The most frequent adjacent word pairs of the titles (letters only), with how many items use each. */
export const findTitleBigrams = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; titleColumn: string; minItems: number; limit: number },
): Promise<{ phrase: string; items: number }[]> => {
  const result = await pool.query<{ phrase: string; items: number }>(
    `SELECT w[i] || ' ' || w[i + 1] AS phrase, count(DISTINCT item)::int AS items
     FROM (SELECT ${quoteIdent(input.itemColumn)}::text AS item,
                  regexp_split_to_array(lower(${quoteIdent(input.titleColumn)}::text), '[^[:alpha:]]+') AS w
           FROM ${qualifiedTable(input.table)}
           WHERE ${quoteIdent(input.titleColumn)} IS NOT NULL AND ${quoteIdent(input.itemColumn)} IS NOT NULL) AS s,
          generate_series(1, coalesce(array_length(w, 1), 1) - 1) AS i
     WHERE w[i] <> '' AND w[i + 1] <> ''
     GROUP BY 1
     HAVING count(DISTINCT item) >= $1
     ORDER BY 2 DESC, 1
     LIMIT $2`,
    [input.minItems, input.limit],
  );
  return result.rows;
};

/** The most frequent non-empty values of a column (e.g. a product type column). */
export const findFrequentValues = async (
  pool: pg.Pool,
  input: { table: string; column: string; limit: number },
): Promise<{ value: string; rows: number }[]> => {
  const column = quoteIdent(input.column);
  const result = await pool.query<{ value: string; rows: number }>(
    `SELECT btrim(${column}::text) AS value, count(*)::int AS rows FROM ${qualifiedTable(input.table)}
     WHERE ${column} IS NOT NULL AND btrim(${column}::text) <> ''
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1`,
    [input.limit],
  );
  return result.rows;
};

/** Chosen columns (as text) of the given items, keyed by item id. */
export const findItemColumns = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; columns: string[]; itemIds: string[] },
): Promise<Map<string, Record<string, string | null>>> => {
  const item = quoteIdent(input.itemColumn);
  const selected = input.columns.map((column, i) => `, ${quoteIdent(column)}::text AS "c${i}"`).join("");
  const result = await pool.query<Record<string, string | null>>(
    `SELECT DISTINCT ON (${item}::text) ${item}::text AS "item"${selected}
     FROM ${qualifiedTable(input.table)} WHERE ${item}::text = ANY($1::text[])
     ORDER BY ${item}::text, ${quoteIdent(LINE_COLUMN)}`,
    [input.itemIds],
  );
  return new Map(
    result.rows.map((row) => [
      row.item as string,
      Object.fromEntries(input.columns.map((column, i) => [column, row[`c${i}`] ?? null])),
    ]),
  );
};

/**
 * A seeded sample of `limit` items with a value in `column`: ordered by md5(seed, item id), which is
 * uniform and stable for a version and seed, so the same request makes the same tasks.
 */
export const sampleItemsWithValue = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; column: string; extra: string[]; seed: number; limit: number },
): Promise<{ line: number; itemId: string; value: string; extra: Record<string, string | null> }[]> => {
  const item = quoteIdent(input.itemColumn);
  const column = quoteIdent(input.column);
  const selected = input.extra.map((name, i) => `, ${quoteIdent(name)}::text AS "c${i}"`).join("");
  const result = await pool.query<Record<string, string | null>>(
    `SELECT line, item, value${input.extra.map((_, i) => `, "c${i}"`).join("")} FROM (
       SELECT DISTINCT ON (${item}::text) ${quoteIdent(LINE_COLUMN)}::text AS line, ${item}::text AS item,
              ${column}::text AS value${selected}
       FROM ${qualifiedTable(input.table)}
       WHERE ${item} IS NOT NULL AND ${column} IS NOT NULL AND btrim(${column}::text) <> ''
       ORDER BY ${item}::text, ${quoteIdent(LINE_COLUMN)}) AS items
     ORDER BY md5($1::text || ':' || item), item
     LIMIT $2`,
    [String(input.seed), input.limit],
  );
  return result.rows.map((row) => ({
    line: Number(row.line),
    itemId: row.item as string,
    value: row.value as string,
    extra: Object.fromEntries(input.extra.map((name, i) => [name, row[`c${i}`] ?? null])),
  }));
};
