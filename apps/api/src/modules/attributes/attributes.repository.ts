import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { sqlTypeOf } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";
import { ATTRIBUTE_COLUMNS } from "./attribute-columns.ts";

/** One page of source rows after `afterLine` (every row, with or without text), as text values. */
export const readSourcePage = async (
  pool: pg.Pool,
  input: { table: string; columns: string[]; afterLine: number; limit: number },
): Promise<{ line: number; values: Record<string, string | null> }[]> => {
  const line = quoteIdent(LINE_COLUMN);
  const selected = input.columns.map((column, i) => `, ${quoteIdent(column)}::text AS "c${i}"`).join("");
  const result = await pool.query<Record<string, string | null>>(
    `SELECT ${line}::text AS "line"${selected} FROM ${qualifiedTable(input.table)}
     WHERE ${line} > $1 ORDER BY ${line} LIMIT $2`,
    [input.afterLine, input.limit],
  );
  return result.rows.map((row) => ({
    line: Number(row.line),
    values: Object.fromEntries(input.columns.map((column, i) => [column, row[`c${i}`] ?? null])),
  }));
};

/** The target starts as an empty copy of the source's columns plus the attribute columns. */
export const createAttributeTable = async (pool: pg.Pool, source: string, target: string): Promise<void> => {
  await pool.query(`DROP TABLE IF EXISTS ${qualifiedTable(target)}`);
  await pool.query(`CREATE TABLE ${qualifiedTable(target)} (LIKE ${qualifiedTable(source)})`);
  for (const column of ATTRIBUTE_COLUMNS) {
    await pool.query(
      `ALTER TABLE ${qualifiedTable(target)} ADD COLUMN ${quoteIdent(column.name)} ${sqlTypeOf(column.type)}`,
    );
  }
};

/** Copies the page's source rows with their extracted values in one statement (unnest join on _line). */
export const insertAttributePage = async (
  pool: pg.Pool,
  input: { source: string; target: string; lines: number[]; values: (string | number | null)[][] },
): Promise<void> => {
  const casts = ATTRIBUTE_COLUMNS.map((column, i) => `$${i + 2}::${sqlTypeOf(column.type)}[]`);
  const names = ATTRIBUTE_COLUMNS.map((_, i) => `a${i}`);
  await pool.query(
    `INSERT INTO ${qualifiedTable(input.target)}
     SELECT s.*, ${names.map((n) => `a.${n}`).join(", ")}
     FROM ${qualifiedTable(input.source)} s
     JOIN unnest($1::bigint[], ${casts.join(", ")}) AS a(l, ${names.join(", ")}) ON s.${quoteIdent(LINE_COLUMN)} = a.l`,
    [input.lines, ...ATTRIBUTE_COLUMNS.map((_, i) => input.values.map((row) => row[i] ?? null))],
  );
};

/** Distinct values of a column (e.g. the catalogue's brands), at most `limit`. */
export const readDistinctValues = async (
  pool: pg.Pool,
  table: string,
  column: string,
  limit: number,
): Promise<string[]> => {
  const result = await pool.query<{ v: string }>(
    `SELECT DISTINCT ${quoteIdent(column)}::text AS v FROM ${qualifiedTable(table)}
     WHERE ${quoteIdent(column)} IS NOT NULL ORDER BY 1 LIMIT $1`,
    [limit],
  );
  return result.rows.map((row) => row.v);
};
