import { sqlTypeOf } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { castExpression } from "./cast-expression.ts";
import { compileCondition } from "./compile-condition.ts";
import { pseudonymSql } from "./pseudonym-sql.ts";
import type { TCleaningStep, TRecipeColumn } from "./recipe-schema.ts";
import type { TSqlParams } from "./sql-params.ts";
import { parseValue } from "./value-parsing.ts";

export const LINE_COLUMN = "_line";
// Helper columns start with "__", which no version column does (data-plane toColumnName trims leading _).

/** CTEs of one step (the last one is the step's output), how to count the values it changed, its columns. */
export type TStepSql = { ctes: string[]; changed: string | null; columns: TRecipeColumn[] };

/** Tables of other datasets that steps read (match_dataset), by dataset id. */
export type TReferenceTables = Record<string, { sql: string; columns: TRecipeColumn[] }>;

type TStepInput = {
  prev: string;
  out: string;
  columns: TRecipeColumn[];
  params: TSqlParams;
  references: TReferenceTables;
  /** The install's pseudonym key (pseudonymise steps with mode hash need it). */
  pseudonymSecret: string | null;
};

const LINE = quoteIdent(LINE_COLUMN);

// `"_line", "a", <expr> AS "b", ...` with the given columns replaced by expressions.
const selectList = (columns: TRecipeColumn[], alias: string, replace: Record<string, string> = {}): string =>
  [
    `${alias}.${LINE}`,
    ...columns.map((column) => {
      const expr = replace[column.name];
      return expr === undefined
        ? `${alias}.${quoteIdent(column.name)}`
        : `${expr} AS ${quoteIdent(column.name)}`;
    }),
  ].join(", ");

const findColumn = (columns: TRecipeColumn[], name: string): TRecipeColumn => {
  const column = columns.find((candidate) => candidate.name === name);
  if (!column) throw new Error(`unknown column ${JSON.stringify(name)}`);
  return column;
};

// The statistic an impute step fills with; integer columns get it rounded so the column keeps its type.
const imputeValue = (
  step: Extract<TCleaningStep, { op: "impute" }>,
  column: TRecipeColumn,
  params: TSqlParams,
) => {
  const ident = quoteIdent(column.name);
  const toColumnType = (expr: string) => (column.type === "integer" ? `round(${expr})::bigint` : expr);
  switch (step.strategy) {
    case "mean":
      return toColumnType(`avg(${ident}::double precision)`);
    case "median":
      return toColumnType(`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ident}::double precision)`);
    case "mode":
      // Most frequent non-null value; ties go to the smallest (mode() scans in sort order).
      return `mode() WITHIN GROUP (ORDER BY ${ident})`;
    case "constant": {
      const parsed = step.value === undefined ? null : parseValue(step.value, column.type);
      if (!parsed?.ok) throw new Error(`impute constant: invalid value for ${column.name}`);
      return `min(${params.bind(parsed.value, sqlTypeOf(column.type))})`;
    }
    default: {
      const unreachable: never = step.strategy;
      throw new Error(`unknown strategy ${String(unreachable)}`);
    }
  }
};

// One row: the fences outside which a value is an outlier. z-score: mean +- k standard deviations
// (sample sd); IQR: Tukey's fences Q1 - k*IQR, Q3 + k*IQR (Tukey 1977, Exploratory Data Analysis).
const fencesCte = (
  step: Extract<TCleaningStep, { op: "clip_outliers" | "drop_outliers" }>,
  column: TRecipeColumn,
  input: TStepInput,
): string => {
  const value = `${quoteIdent(column.name)}::double precision`;
  const k = input.params.bind(step.k, "double precision");
  const body =
    step.method === "zscore"
      ? `SELECT avg(${value}) - ${k} * stddev_samp(${value}) AS lo, avg(${value}) + ${k} * stddev_samp(${value}) AS hi FROM ${input.prev}`
      : `SELECT q1 - ${k} * (q3 - q1) AS lo, q3 + ${k} * (q3 - q1) AS hi FROM (SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY ${value}) AS q1, percentile_cont(0.75) WITHIN GROUP (ORDER BY ${value}) AS q3 FROM ${input.prev}) AS q`;
  return `${input.out}_fences AS (${body})`;
};

const outside = (column: TRecipeColumn) =>
  `p.${quoteIdent(column.name)} < f.lo OR p.${quoteIdent(column.name)} > f.hi`;

export const compileStep = (step: TCleaningStep, input: TStepInput): TStepSql => {
  const { prev, out, columns, params } = input;
  const all = selectList(columns, "p");
  switch (step.op) {
    case "dedupe": {
      const keys = step.keys.length > 0 ? step.keys : columns.map((column) => column.name);
      const partition = keys.map((key) => `p.${quoteIdent(key)}`).join(", ");
      const order = step.keep === "first" ? "ASC" : "DESC";
      return {
        ctes: [
          `${out} AS (SELECT ${selectList(columns, "d")} FROM (SELECT ${all}, row_number() OVER (PARTITION BY ${partition} ORDER BY p.${LINE} ${order}) AS __rn FROM ${prev} AS p) AS d WHERE d.__rn = 1)`,
        ],
        changed: null,
        columns,
      };
    }
    case "drop_where": {
      const condition = compileCondition(step.condition, new Map(columns.map((c) => [c.name, c])), params);
      // Unknown (a NULL cell) keeps the row: only rows the condition is TRUE for are dropped.
      return {
        ctes: [`${out} AS (SELECT ${all} FROM ${prev} AS p WHERE NOT coalesce(${condition}, false))`],
        changed: null,
        columns,
      };
    }
    case "impute": {
      const column = findColumn(columns, step.column);
      const ident = quoteIdent(column.name);
      const stats = `${out}_stats AS (SELECT ${imputeValue(step, column, params)} AS v FROM ${prev})`;
      return {
        ctes: [
          stats,
          `${out} AS (SELECT ${selectList(columns, "p", { [column.name]: `coalesce(p.${ident}, s.v)` })} FROM ${prev} AS p CROSS JOIN ${out}_stats AS s)`,
        ],
        changed: `(SELECT count(*) FROM ${prev} AS p CROSS JOIN ${out}_stats AS s WHERE p.${ident} IS NULL AND s.v IS NOT NULL)`,
        columns,
      };
    }
    case "clip_outliers": {
      const column = findColumn(columns, step.column);
      const ident = `p.${quoteIdent(column.name)}`;
      // Integer columns are clipped to the nearest integers inside the fences, so they stay integers.
      const [lo, hi] =
        column.type === "integer" ? ["ceil(f.lo)::bigint", "floor(f.hi)::bigint"] : ["f.lo", "f.hi"];
      const clipped = `CASE WHEN ${ident} < f.lo THEN ${lo} WHEN ${ident} > f.hi THEN ${hi} ELSE ${ident} END`;
      return {
        ctes: [
          fencesCte(step, column, input),
          `${out} AS (SELECT ${selectList(columns, "p", { [column.name]: clipped })} FROM ${prev} AS p CROSS JOIN ${out}_fences AS f)`,
        ],
        changed: `(SELECT count(*) FROM ${prev} AS p CROSS JOIN ${out}_fences AS f WHERE ${outside(column)})`,
        columns,
      };
    }
    case "drop_outliers": {
      const column = findColumn(columns, step.column);
      // NULL cells and undefined fences (fewer than two values) are never outliers.
      return {
        ctes: [
          fencesCte(step, column, input),
          `${out} AS (SELECT ${all} FROM ${prev} AS p CROSS JOIN ${out}_fences AS f WHERE NOT coalesce(${outside(column)}, false))`,
        ],
        changed: null,
        columns,
      };
    }
    case "normalise_text": {
      const column = findColumn(columns, step.column);
      const ident = `p.${quoteIdent(column.name)}`;
      let expr = ident;
      if (step.collapseSpaces) expr = `regexp_replace(${expr}, '\\s+', ' ', 'g')`;
      if (step.trim) expr = `btrim(${expr})`;
      if (step.case !== "none") expr = `${step.case}(${expr})`;
      return {
        ctes: [`${out} AS (SELECT ${selectList(columns, "p", { [column.name]: expr })} FROM ${prev} AS p)`],
        changed: `(SELECT count(*) FROM ${prev} AS p WHERE ${ident} IS DISTINCT FROM ${expr})`,
        columns,
      };
    }
    case "cast": {
      const column = findColumn(columns, step.column);
      const ident = quoteIdent(column.name);
      const next = columns.map((c) => (c.name === column.name ? { ...c, type: step.to } : c));
      const converted = castExpression(`p.${ident}`, column.type, step.to);
      // A row is dropped when its cell has a value whose text cannot be read as the new type; empty
      // and blank cells become NULL instead.
      return {
        ctes: [
          `${out} AS (SELECT ${selectList(columns, "c", { [column.name]: "c.__cast_value" })} FROM (SELECT ${all}, ${converted} AS __cast_value FROM ${prev} AS p) AS c WHERE c.__cast_value IS NOT NULL OR c.${ident} IS NULL OR btrim(c.${ident}::text) = '')`,
        ],
        changed: null,
        columns: next,
      };
    }
    case "match_dataset": {
      const column = findColumn(columns, step.column);
      const ref = input.references[step.refDatasetId];
      if (!ref) throw new Error(`no table for dataset ${step.refDatasetId}`);
      const refColumn = findColumn(ref.columns, step.refColumn);
      // Same types compare as they are (an index on the key can serve); others compare as text.
      const [left, right] =
        refColumn.type === column.type
          ? [`r.${quoteIdent(refColumn.name)}`, `p.${quoteIdent(column.name)}`]
          : [`r.${quoteIdent(refColumn.name)}::text`, `p.${quoteIdent(column.name)}::text`];
      const exists = `EXISTS (SELECT 1 FROM ${ref.sql} AS r WHERE ${left} = ${right})`;
      return {
        ctes: [
          `${out} AS (SELECT ${all} FROM ${prev} AS p WHERE ${step.keep === "matched" ? "" : "NOT "}${exists})`,
        ],
        changed: null,
        columns,
      };
    }
    case "drop_group_outliers": {
      const column = findColumn(columns, step.column);
      const value = `${quoteIdent(column.name)}::double precision`;
      const ratio = params.bind(step.maxRatio, "double precision");
      const group = step.groupBy ? quoteIdent(findColumn(columns, step.groupBy).name) : null;
      // The definition of the quality rule `outlier` (packages/quality compile-set-rules.ts): a value
      // against its group's median, on a ratio scale; a NULL group is a group of its own, and a median
      // that is not positive has no ratio, so its group keeps every row.
      const keys = group ? `(${group} IS NULL) AS g_null, coalesce(${group}::text, '') AS g_key, ` : "";
      const medians = `${out}_medians AS (SELECT ${keys}percentile_cont(0.5) WITHIN GROUP (ORDER BY ${value}) AS m FROM ${prev} WHERE ${quoteIdent(column.name)} IS NOT NULL${group ? " GROUP BY 1, 2" : ""})`;
      const on = group
        ? `ON med.g_null = (p.${group} IS NULL) AND med.g_key = coalesce(p.${group}::text, '')`
        : "ON true";
      const pValue = `p.${value}`;
      return {
        ctes: [
          medians,
          `${out} AS (SELECT ${all} FROM ${prev} AS p LEFT JOIN ${out}_medians AS med ${on} WHERE NOT coalesce(med.m > 0 AND (${pValue} > med.m * ${ratio} OR ${pValue} < med.m / ${ratio}), false))`,
        ],
        changed: null,
        columns,
      };
    }
    case "pseudonymise": {
      const column = findColumn(columns, step.column);
      if (step.mode === "drop") {
        const next = columns.filter((c) => c.name !== column.name);
        return {
          ctes: [`${out} AS (SELECT ${selectList(next, "p")} FROM ${prev} AS p)`],
          changed: null,
          columns: next,
        };
      }
      if (input.pseudonymSecret === null) throw new Error("pseudonymise: no pseudonym secret given");
      const ident = `p.${quoteIdent(column.name)}`;
      const hashed = `CASE WHEN ${ident} IS NULL THEN NULL ELSE ${pseudonymSql(`${ident}::text`, step.piiType, input.pseudonymSecret)} END`;
      return {
        ctes: [`${out} AS (SELECT ${selectList(columns, "p", { [column.name]: hashed })} FROM ${prev} AS p)`],
        changed: `(SELECT count(*) FROM ${prev} AS p WHERE ${ident} IS NOT NULL)`,
        columns: columns.map((c) => (c.name === column.name ? { ...c, type: "text" as const } : c)),
      };
    }
    default: {
      const unreachable: never = step;
      throw new Error(`unknown op ${JSON.stringify(unreachable)}`);
    }
  }
};
