import { qualifiedTable } from "@dam/db/data-plane";
import type { TSearchDocument } from "@dam/search/search-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

/** One document per item id of a version table (its first line), the given columns as text or numbers. */
export const readSearchDocuments = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; columns: string[]; numericColumns: string[] },
): Promise<TSearchDocument[]> => {
  const item = quoteIdent(input.itemColumn);
  const select = input.columns
    .map((column) =>
      input.numericColumns.includes(column)
        ? `${quoteIdent(column)}::float8 AS ${quoteIdent(column)}`
        : `${quoteIdent(column)}::text AS ${quoteIdent(column)}`,
    )
    .join(", ");
  const { rows } = await pool.query<TSearchDocument>(
    `SELECT DISTINCT ON (${item}::text) ${select}
       FROM ${qualifiedTable(input.table)}
      WHERE ${item} IS NOT NULL
      ORDER BY ${item}::text, "_line"`,
  );
  return rows;
};
