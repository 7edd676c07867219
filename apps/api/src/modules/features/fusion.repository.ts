import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

export type TFusionColumns = {
  table: string;
  itemColumn: string;
  categoryColumn: string | null;
  priceColumn: string | null;
  /** attribute name -> column (colour, material, productType, size, packQuantity, brand). */
  attributeColumns: Record<string, string>;
};

/** One row per item id (its first row in source order) with category, price and attribute values. */
export const readFusionItems = async (pool: pg.Pool, input: TFusionColumns) => {
  const q = quoteIdent;
  const attributes = Object.entries(input.attributeColumns);
  const result = await pool.query<Record<string, string | null> & { item_id: string; price: number | null }>(
    `SELECT DISTINCT ON (${q(input.itemColumn)}::text) ${q(input.itemColumn)}::text AS item_id,
       ${input.categoryColumn ? `nullif(trim(${q(input.categoryColumn)}::text), '')` : "NULL::text"} AS category,
       ${input.priceColumn ? `${q(input.priceColumn)}::float8` : "NULL::float8"} AS price
       ${attributes.map(([, column], i) => `, ${q(column)}::text AS "a${i}"`).join("")}
     FROM ${qualifiedTable(input.table)} WHERE ${q(input.itemColumn)} IS NOT NULL
     ORDER BY ${q(input.itemColumn)}::text, ${q(LINE_COLUMN)}`,
  );
  return result.rows.map((row) => ({
    id: row.item_id,
    category: row.category ?? null,
    price: row.price === null ? null : Number(row.price),
    attributes: Object.fromEntries(attributes.map(([name], i) => [name, row[`a${i}`] ?? null])),
  }));
};

/** Events per item id in an EVENTS version: the popularity feature. */
export const countEventsPerItem = async (pool: pg.Pool, table: string, itemColumn: string) => {
  const result = await pool.query<{ item_id: string; n: string }>(
    `SELECT ${quoteIdent(itemColumn)}::text AS item_id, count(*)::text AS n FROM ${qualifiedTable(table)}
     WHERE ${quoteIdent(itemColumn)} IS NOT NULL GROUP BY 1`,
  );
  return new Map(result.rows.map((row) => [row.item_id, Number(row.n)]));
};
