import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TColumn, TCompiledQuery, TTableRef } from "./compile-types.ts";
import type { TRuleParams } from "./rule-types.ts";
import { createParams, qualify, type TParams, toNumber } from "./sql-text.ts";

const NUMERIC = new Set(["integer", "decimal"]);

type TRuleOf<K extends keyof TRuleParams> = { id: string; params: TRuleParams[K] };

/** Rows that repeat an earlier row's key: per duplicated key, count - 1 (GROUP BY ... HAVING). */
export const compileUnique = (table: string, rule: TRuleOf<"unique">): TCompiledQuery => {
  const keys = rule.params.columns.map(quoteIdent);
  // SQL UNIQUE semantics: a key with a NULL part is not equal to anything, so it is never a duplicate.
  const notNull = keys.map((key) => `${key} IS NOT NULL`).join(" AND ");
  return {
    key: `unique:${rule.id}`,
    ruleIds: [rule.id],
    sql:
      `SELECT coalesce(sum(n - 1), 0) AS failing, count(*) AS keys, coalesce(max(n), 0) AS max_repeats ` +
      `FROM (SELECT count(*) AS n FROM ${table} WHERE ${notNull} GROUP BY ${keys.join(", ")} ` +
      `HAVING count(*) > 1) AS d`,
    params: [],
    untrusted: false,
    read: (rows, totalRows) => [
      {
        ruleId: rule.id,
        failingCount: toNumber(rows[0]?.failing),
        checkedCount: totalRows,
        observed: { duplicatedKeys: toNumber(rows[0]?.keys), maxRepeats: toNumber(rows[0]?.max_repeats) },
      },
    ],
  };
};

/** The extra copies themselves (every occurrence after the first of its key). */
export const uniqueSampleSql = (table: string, rule: TRuleOf<"unique">, select: string): string => {
  const keys = rule.params.columns.map(quoteIdent);
  const notNull = keys.map((key) => `${key} IS NOT NULL`).join(" AND ");
  return (
    `SELECT ${select} FROM (SELECT *, row_number() OVER (PARTITION BY ${keys.join(", ")} ORDER BY "_line") ` +
    `AS "_repeat" FROM ${table} WHERE ${notNull}) AS d WHERE "_repeat" > 1`
  );
};

// Keys compare as they are when both sides have the same type family, as text otherwise
// (an integer item id referencing a text column still matches "42" = 42).
const joinKeys = (column: TColumn, refColumn: TColumn) => {
  const same = column.type === refColumn.type || (NUMERIC.has(column.type) && NUMERIC.has(refColumn.type));
  const left = `t.${quoteIdent(column.name)}`;
  const right = `r.${quoteIdent(refColumn.name)}`;
  return same ? { left, right } : { left: `${left}::text`, right: `${right}::text` };
};

export const refAntiJoin = (table: string, ref: TTableRef, column: TColumn, refColumn: TColumn): string => {
  const { left, right } = joinKeys(column, refColumn);
  return (
    `FROM ${table} AS t WHERE t.${quoteIdent(column.name)} IS NOT NULL AND NOT EXISTS ` +
    `(SELECT 1 FROM ${qualify(ref.schema, ref.table)} AS r WHERE ${right} = ${left})`
  );
};

/** Rows whose key has no match in the referenced version: one anti-join, counted. */
export const compileRefIntegrity = (
  table: string,
  rule: TRuleOf<"ref_integrity">,
  ref: TTableRef,
  column: TColumn,
  refColumn: TColumn,
): TCompiledQuery => ({
  key: `ref_integrity:${rule.id}`,
  ruleIds: [rule.id],
  sql: `SELECT count(*) AS failing, count(DISTINCT t.${quoteIdent(column.name)}) AS missing_keys ${refAntiJoin(table, ref, column, refColumn)}`,
  params: [],
  untrusted: false,
  read: (rows, totalRows) => [
    {
      ruleId: rule.id,
      failingCount: toNumber(rows[0]?.failing),
      checkedCount: totalRows,
      observed: { missingKeys: toNumber(rows[0]?.missing_keys), refTable: ref.table },
    },
  ],
});

/** FROM/WHERE of the outlier test: each value against its group's median (two scans, hash-joined). */
export const outlierFrom = (table: string, rule: TRuleOf<"outlier">, params: TParams): string => {
  const value = `${quoteIdent(rule.params.column)}::double precision`;
  const ratio = params.add(rule.params.maxRatio, "double precision");
  const group = rule.params.groupBy ? quoteIdent(rule.params.groupBy) : null;
  // A NULL group is a group of its own; (is null, text) keys keep the join a plain hash join.
  const keys = group ? `(${group} IS NULL) AS g_null, coalesce(${group}::text, '') AS g_key` : "";
  const medians =
    `SELECT ${keys ? `${keys}, ` : ""}percentile_cont(0.5) WITHIN GROUP (ORDER BY ${value}) AS m ` +
    `FROM ${table} WHERE ${quoteIdent(rule.params.column)} IS NOT NULL${group ? " GROUP BY 1, 2" : ""}`;
  const on = group
    ? `ON med.g_null = (t.${group} IS NULL) AND med.g_key = coalesce(t.${group}::text, '')`
    : "ON true";
  const tValue = `t.${value}`;
  return (
    `FROM ${table} AS t JOIN (${medians}) AS med ${on} ` +
    `WHERE med.m > 0 AND (${tValue} > med.m * ${ratio} OR ${tValue} < med.m / ${ratio})`
  );
};

export const compileOutlier = (table: string, rule: TRuleOf<"outlier">): TCompiledQuery => {
  const params = createParams();
  return {
    key: `outlier:${rule.id}`,
    ruleIds: [rule.id],
    sql: `SELECT count(*) AS failing, max(t.${quoteIdent(rule.params.column)}::double precision / med.m) AS max_ratio ${outlierFrom(table, rule, params)}`,
    params: params.values,
    untrusted: false,
    read: (rows, totalRows) => [
      {
        ruleId: rule.id,
        failingCount: toNumber(rows[0]?.failing),
        checkedCount: totalRows,
        observed: {
          maxRatio: rule.params.maxRatio,
          largestRatioSeen: rows[0]?.max_ratio === null ? null : toNumber(rows[0]?.max_ratio),
        },
      },
    ],
  };
};

export const customSqlText = (table: string, rule: TRuleOf<"custom_sql">): string =>
  rule.params.sql.replaceAll("{{table}}", table);

/** The rule's own SELECT lists the failing rows; the compiled query only counts them. */
export const compileCustomSql = (table: string, rule: TRuleOf<"custom_sql">): TCompiledQuery => ({
  key: `custom_sql:${rule.id}`,
  ruleIds: [rule.id],
  sql: `SELECT count(*) AS failing FROM (${customSqlText(table, rule)}) AS q`,
  params: [],
  untrusted: true,
  read: (rows, totalRows) => [
    {
      ruleId: rule.id,
      failingCount: toNumber(rows[0]?.failing),
      checkedCount: totalRows,
      observed: {},
    },
  ],
});
