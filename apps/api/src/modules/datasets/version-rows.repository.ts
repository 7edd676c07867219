import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

export type TRowsQuery = {
  table: string;
  columns: string[];
  sort?: { column: string; descending: boolean } | null;
  filter?: { column: string; text: string } | null;
  offset: number;
  limit: number;
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The WHERE clause of a preview filter: the cell's text contains the given text, case-insensitively. */
const filterSql = (filter: TRowsQuery["filter"], first: number) =>
  filter
    ? { sql: `WHERE ${quoteIdent(filter.column)}::text ILIKE $${first}`, params: [likePattern(filter.text)] }
    : { sql: "", params: [] };

/** One page of a version's rows, in file order or sorted by a column (file order breaking ties). */
export const readRowsPage = async (pool: pg.Pool, query: TRowsQuery): Promise<Record<string, unknown>[]> => {
  const where = filterSql(query.filter, 3);
  const order = query.sort
    ? `${quoteIdent(query.sort.column)} ${query.sort.descending ? "DESC NULLS LAST" : "ASC NULLS LAST"}, ${quoteIdent(LINE_COLUMN)}`
    : quoteIdent(LINE_COLUMN);
  const result = await pool.query(
    `SELECT ${[LINE_COLUMN, ...query.columns].map(quoteIdent).join(", ")} FROM ${qualifiedTable(query.table)}
     ${where.sql} ORDER BY ${order} LIMIT $1 OFFSET $2`,
    [query.limit, query.offset, ...where.params],
  );
  return result.rows;
};

/** Rows that match a preview filter (a scan; the unfiltered count is the version's rowCount). */
export const countFilteredRows = async (
  pool: pg.Pool,
  table: string,
  filter: NonNullable<TRowsQuery["filter"]>,
) => {
  const where = filterSql(filter, 1);
  const result = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${qualifiedTable(table)} ${where.sql}`,
    where.params,
  );
  return Number(result.rows[0]?.n ?? 0);
};

/** Rows after `afterLine` in file order: the keyset page of a streamed download. */
export const readRowsAfterLine = async (
  pool: pg.Pool,
  input: { table: string; columns: string[]; afterLine: number; limit: number },
): Promise<Record<string, unknown>[]> => {
  const result = await pool.query(
    `SELECT ${[LINE_COLUMN, ...input.columns].map(quoteIdent).join(", ")} FROM ${qualifiedTable(input.table)}
     WHERE ${quoteIdent(LINE_COLUMN)} > $1 ORDER BY ${quoteIdent(LINE_COLUMN)} LIMIT $2`,
    [input.afterLine, input.limit],
  );
  return result.rows;
};
