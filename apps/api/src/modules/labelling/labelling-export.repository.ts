import { LINE_COLUMN, qualifiedTable, type TDataColumn } from "@dam/db/data-plane";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

/** Columns of a LABELS version: one row per task with a gold label. */
export const LABEL_EXPORT_COLUMNS: (TDataColumn & { role: string | null })[] = [
  { name: "task_id", type: "text", role: null },
  { name: "query", type: "text", role: "query" },
  { name: "item_id", type: "text", role: "itemId" },
  { name: "label", type: "text", role: "label" },
  { name: "label_json", type: "text", role: null },
  { name: "grade", type: "integer", role: "relevance" },
  { name: "gold_source", type: "text", role: null },
  { name: "labellers", type: "integer", role: null },
  { name: "payload", type: "text", role: null },
];

/**
 * The gold label of every task, written straight from the label tables into the version table in one
 * statement. Gold is the adjudicated value when there is one; otherwise the shared value of a task
 * whose `overlap` labels (at least) all agree. `label` is the value as text (a choice, a grade; JSON
 * for lists and corrections), `label_json` the exact JSON; `grade` is filled for RELEVANCE only.
 */
export const writeGoldLabels = async (
  pool: pg.Pool,
  input: { table: string; projectId: string; overlap: number; relevance: boolean },
): Promise<number> => {
  const names = [LINE_COLUMN, ...LABEL_EXPORT_COLUMNS.map((column) => column.name)]
    .map(quoteIdent)
    .join(", ");
  const result = await pool.query(
    `WITH answered AS (
       SELECT t.id, t.payload, t."goldValue", t."createdAt",
              count(l.id)::int AS n, count(DISTINCT l.value)::int AS distinct_values,
              (array_agg(l.value ORDER BY l."createdAt"))[1] AS first_value
       FROM "LabelTask" t LEFT JOIN "Label" l ON l."taskId" = t.id AND NOT l."isGold"
       WHERE t."projectId" = $1
       GROUP BY t.id),
     gold AS (
       SELECT id, payload, "createdAt", n,
              coalesce("goldValue", first_value) AS value,
              CASE WHEN "goldValue" IS NOT NULL THEN 'adjudicated' ELSE 'unanimous' END AS gold_source
       FROM answered
       WHERE "goldValue" IS NOT NULL OR (n >= $2 AND distinct_values = 1))
     INSERT INTO ${qualifiedTable(input.table)} (${names})
     SELECT row_number() OVER (ORDER BY "createdAt", id), id::text, payload->>'query',
            coalesce(payload->>'itemId', payload->>'item_id'), value #>> '{}', value::text,
            CASE WHEN $3::boolean THEN (value #>> '{}')::int END, gold_source, n, payload::text
     FROM gold`,
    [input.projectId, input.overlap, input.relevance],
  );
  return result.rowCount ?? 0;
};

/** Tasks of a project that would export a gold label now (same rule as writeGoldLabels). */
export const countGoldTasks = async (pool: pg.Pool, projectId: string, overlap: number): Promise<number> => {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT t."goldValue", count(l.id) AS n, count(DISTINCT l.value) AS d
       FROM "LabelTask" t LEFT JOIN "Label" l ON l."taskId" = t.id AND NOT l."isGold"
       WHERE t."projectId" = $1 GROUP BY t.id) AS answered
     WHERE "goldValue" IS NOT NULL OR (n >= $2 AND d = 1)`,
    [projectId, overlap],
  );
  return result.rows[0]?.n ?? 0;
};

export type TExportRow = Record<string, string | number | null>;

/** One keyset page of a version table by `_line`, with the export's columns. */
export const readExportPage = async (
  pool: pg.Pool,
  input: { table: string; afterLine: number; limit: number },
): Promise<{ line: number; row: TExportRow }[]> => {
  const columns = LABEL_EXPORT_COLUMNS.map((column) => quoteIdent(column.name)).join(", ");
  const line = quoteIdent(LINE_COLUMN);
  const result = await pool.query<TExportRow & { _line: string }>(
    `SELECT ${line}::text AS "_line", ${columns} FROM ${qualifiedTable(input.table)}
     WHERE ${line} > $1 ORDER BY ${line} LIMIT $2`,
    [input.afterLine, input.limit],
  );
  // Integer columns are bigint in the data plane, which pg returns as text; counts and grades fit a number.
  return result.rows.map(({ _line, ...row }) => {
    for (const column of LABEL_EXPORT_COLUMNS) {
      const value = row[column.name];
      if (column.type === "integer" && value !== null && value !== undefined)
        row[column.name] = Number(value);
    }
    return { line: Number(_line), row };
  });
};
