import { LINE_COLUMN, qualifiedTable, quoteIdent } from "@dam/db/data-plane";
import type pg from "pg";

/**
 * Items whose title contains query terms as whole words, with the share of terms found, best first.
 * Terms are letters and digits only (search-blend.ts#queryTerms), so they are safe inside the `\m..\M`
 * word-boundary pattern; they are still passed as parameters. One row per item (its first line).
 */
export const findTitleMatches = async (
  pool: pg.Pool,
  input: { table: string; itemColumn: string; titleColumn: string; terms: string[]; limit: number },
): Promise<{ itemId: string; lexical: number }[]> => {
  if (input.terms.length === 0) return [];
  const item = quoteIdent(input.itemColumn);
  const title = quoteIdent(input.titleColumn);
  const hits = input.terms.map((_, i) => `(coalesce(${title}::text, '') ~* $${i + 2})::int`).join(" + ");
  const result = await pool.query<{ item: string; lexical: number }>(
    `SELECT item, lexical FROM (
       SELECT DISTINCT ON (${item}::text) ${item}::text AS item,
              (${hits})::float8 / ${input.terms.length} AS lexical
       FROM ${qualifiedTable(input.table)}
       WHERE ${item} IS NOT NULL
       ORDER BY ${item}::text, ${quoteIdent(LINE_COLUMN)}) AS matched
     WHERE lexical > 0
     ORDER BY lexical DESC, item
     LIMIT $1`,
    [input.limit, ...input.terms.map((term) => `\\m${term}\\M`)],
  );
  return result.rows.map((row) => ({ itemId: row.item, lexical: Number(row.lexical) }));
};
