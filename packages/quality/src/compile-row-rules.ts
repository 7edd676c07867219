import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TCompiledQuery, TRuleOutcome, TSqlRow } from "./compile-types.ts";
import { readFixedPattern } from "./fixed-pattern.ts";
import type { TTypedRule } from "./rule-types.ts";
import { createParams, type TParams, toNumber } from "./sql-text.ts";

export type TRowRule = Extract<
  TTypedRule,
  { type: "not_null" | "range" | "regex" | "allowed_set" | "length" }
>;
export type TTableRule = Extract<TTypedRule, { type: "row_count" | "freshness" }>;

export const isRowRule = (rule: TTypedRule): rule is TRowRule =>
  ["not_null", "range", "regex", "allowed_set", "length"].includes(rule.type);
export const isTableRule = (rule: TTypedRule): rule is TTableRule =>
  rule.type === "row_count" || rule.type === "freshness";

const between = (
  expr: string,
  min: number | undefined,
  max: number | undefined,
  params: TParams,
  cast: string,
) => {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${expr} < ${params.add(min, cast)}`);
  if (max !== undefined) parts.push(`${expr} > ${params.add(max, cast)}`);
  return `(${parts.join(" OR ")})`;
};

/**
 * The WHERE condition a row FAILS a row-level rule on. Nulls fail only not_null: the value rules
 * compare with NULL, which is never true, so a missing value is counted once, by its own rule.
 */
export const failCondition = (rule: TRowRule, params: TParams, alias = ""): string => {
  const column = `${alias}${quoteIdent(rule.params.column)}`;
  switch (rule.type) {
    case "not_null":
      return `${column} IS NULL`;
    case "range":
      return between(column, rule.params.min, rule.params.max, params, "double precision");
    case "regex": {
      const fixed = readFixedPattern(rule.params.pattern);
      if (!fixed) return `${column}::text !~ ${params.add(rule.params.pattern, "text")}`;
      // The same test without the regex engine (see fixed-pattern.ts); NULL stays NULL, not a failure.
      const value = `${column}::text`;
      const parts = [`char_length(${value}) = ${params.add(fixed.length, "integer")}`];
      for (const segment of fixed.segments) {
        const piece = `substr(${value}, ${params.add(segment.start, "integer")}, ${params.add(segment.length, "integer")})`;
        parts.push(
          "literal" in segment
            ? `${piece} = ${params.add(segment.literal, "text")}`
            : `ltrim(${piece}, ${params.add(segment.chars, "text")}) = ''`,
        );
      }
      return `NOT (${parts.join(" AND ")})`;
    }
    case "allowed_set":
      return `NOT (${column}::text = ANY(${params.add(rule.params.values, "text[]")}))`;
    case "length":
      return between(`char_length(${column}::text)`, rule.params.min, rule.params.max, params, "integer");
    default: {
      const unreachable: never = rule;
      throw new Error(`Not a row rule: ${JSON.stringify(unreachable)}`);
    }
  }
};

// Extra aggregates that make a failure explainable without looking at rows.
const observedAggregates = (rule: TRowRule): Record<string, string> => {
  const column = quoteIdent(rule.params.column);
  switch (rule.type) {
    case "range":
      return { min: `min(${column})`, max: `max(${column})` };
    case "length":
      return {
        minLength: `min(char_length(${column}::text))`,
        maxLength: `max(char_length(${column}::text))`,
      };
    default:
      return {};
  }
};

/**
 * ONE scan for every row-level rule plus row_count and freshness: each rule is a
 * `count(*) FILTER (WHERE <fails>)` column of a single aggregate over the version table.
 */
export const compileMainQuery = (
  table: string,
  rules: (TRowRule | TTableRule)[],
  now: Date,
): TCompiledQuery => {
  const params = createParams();
  const select = ["count(*) AS total"];
  const readers: ((row: TSqlRow, totalRows: number) => TRuleOutcome)[] = [];

  rules.forEach((rule, i) => {
    const alias = (name: string) => quoteIdent(`r${i}_${name}`);
    const pick = (row: TSqlRow, name: string) => row[`r${i}_${name}`];
    if (isRowRule(rule)) {
      const column = quoteIdent(rule.params.column);
      select.push(`count(*) FILTER (WHERE ${failCondition(rule, params)}) AS ${alias("fail")}`);
      select.push(`${rule.type === "not_null" ? "count(*)" : `count(${column})`} AS ${alias("checked")}`);
      const observed = Object.entries(observedAggregates(rule));
      for (const [name, expr] of observed) select.push(`${expr} AS ${alias(name)}`);
      readers.push((row) => ({
        ruleId: rule.id,
        failingCount: toNumber(pick(row, "fail")),
        checkedCount: toNumber(pick(row, "checked")),
        observed: Object.fromEntries(observed.map(([name]) => [name, pick(row, name) ?? null])),
      }));
      return;
    }
    if (rule.type === "row_count") {
      readers.push((_row, totalRows) => {
        const { min, max } = rule.params;
        const outside = (min !== undefined && totalRows < min) || (max !== undefined && totalRows > max);
        return {
          ruleId: rule.id,
          failingCount: outside ? 1 : 0,
          checkedCount: 1,
          observed: { rowCount: totalRows, min: min ?? null, max: max ?? null },
        };
      });
      return;
    }
    select.push(`max(${quoteIdent(rule.params.column)}) AS ${alias("latest")}`);
    readers.push((row) => {
      const latest = pick(row, "latest");
      const latestDate = latest instanceof Date ? latest : latest ? new Date(String(latest)) : null;
      const ageHours = latestDate ? (now.getTime() - latestDate.getTime()) / 3_600_000 : null;
      const stale = ageHours === null || ageHours > rule.params.maxAgeHours;
      return {
        ruleId: rule.id,
        failingCount: stale ? 1 : 0,
        checkedCount: 1,
        observed: {
          latest: latestDate?.toISOString() ?? null,
          ageHours: ageHours === null ? null : Math.round(ageHours * 100) / 100,
          maxAgeHours: rule.params.maxAgeHours,
          now: now.toISOString(),
        },
      };
    });
  });

  return {
    key: "main",
    ruleIds: rules.map((rule) => rule.id),
    sql: `SELECT ${select.join(", ")} FROM ${table}`,
    params: params.values,
    untrusted: false,
    read: (rows) => {
      const row = rows[0] ?? {};
      const totalRows = toNumber(row.total);
      return readers.map((reader) => reader(row, totalRows));
    },
  };
};

/** Total rows of the version, from the main query's result. */
export const readTotalRows = (rows: TSqlRow[]): number => toNumber(rows[0]?.total);
