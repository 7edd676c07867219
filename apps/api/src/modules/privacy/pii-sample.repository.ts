import { qualifiedTable } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TDeps } from "../../deps.ts";

export const PII_SAMPLE_ROWS = 1_000;

/**
 * A sample of every column's values as text, drawn inside PostgreSQL: block sampling (TABLESAMPLE SYSTEM)
 * reads a few hundred pages of a large table instead of scanning it; a small table is read whole.
 */
export const sampleColumnValues = async (
  deps: TDeps,
  tableName: string,
  columns: readonly { name: string; type: string }[],
  rowCount: number,
  rows = PII_SAMPLE_ROWS,
): Promise<Map<string, (string | null)[]>> => {
  const out = new Map<string, (string | null)[]>(columns.map((c) => [c.name, []]));
  if (columns.length === 0) return out;
  // Decimals are stored as double precision, whose text form turns a card number into 4.111e+15 (and
  // ::numeric keeps only 15 digits): integral values go out through bigint, exactly.
  const render = (c: { name: string; type: string }): string => {
    const col = quoteIdent(c.name);
    return c.type === "decimal"
      ? `CASE WHEN ${col} = trunc(${col}) AND abs(${col}) < 9e18 THEN ${col}::bigint::text ELSE ${col}::text END`
      : `${col}::text`;
  };
  const select = columns.map((c, i) => `${render(c)} AS c${i}`).join(", ");
  // Ask for five times the rows wanted so the LIMIT, not the sample, decides the size.
  const percent = Math.min(100, (100 * rows * 5) / Math.max(1, rowCount));
  const sample = rowCount > rows * 5 ? ` TABLESAMPLE SYSTEM (${percent.toFixed(6)})` : "";
  const { rows: sampled } = await deps.pool.query<Record<string, string | null>>(
    `SELECT ${select} FROM ${qualifiedTable(tableName)}${sample} LIMIT ${rows}`,
  );
  for (const row of sampled) {
    for (const [i, c] of columns.entries()) out.get(c.name)?.push(row[`c${i}`] ?? null);
  }
  return out;
};
