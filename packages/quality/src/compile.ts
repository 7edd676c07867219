import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { compileDrift } from "./compile-drift.ts";
import {
  compileMainQuery,
  failCondition,
  isRowRule,
  isTableRule,
  type TRowRule,
} from "./compile-row-rules.ts";
import {
  compileCustomSql,
  compileOutlier,
  compileRefIntegrity,
  compileUnique,
  customSqlText,
  outlierFrom,
  refAntiJoin,
  uniqueSampleSql,
} from "./compile-set-rules.ts";
import {
  LINE_COLUMN,
  SAMPLE_LIMIT,
  type TColumn,
  type TCompiledPlan,
  type TCompiledQuery,
  type TCompileInput,
  type TSampleQuery,
} from "./compile-types.ts";
import { columnsOf, type TTypedRule } from "./rule-types.ts";
import { createParams, qualify } from "./sql-text.ts";

export { readTotalRows } from "./compile-row-rules.ts";
export { compileCustomSql } from "./compile-set-rules.ts";
export type * from "./compile-types.ts";

const NUMERIC = new Set(["integer", "decimal"]);

/** Why a rule cannot run on this version, or null when it can. */
const checkRule = (rule: TTypedRule, columns: Map<string, TColumn>, input: TCompileInput): string | null => {
  for (const name of columnsOf(rule)) {
    if (!columns.has(name)) return `column "${name}" is not in this version`;
  }
  const column = "column" in rule.params ? columns.get(rule.params.column) : undefined;
  if ((rule.type === "range" || rule.type === "outlier") && column && !NUMERIC.has(column.type)) {
    return `column "${column.name}" is ${column.type}; ${rule.type} needs a number column`;
  }
  if (rule.type === "freshness" && column?.type !== "timestamp") {
    return `column "${rule.params.column}" is ${column?.type}; freshness needs a timestamp column`;
  }
  if (
    rule.type === "drift" &&
    input.previous &&
    !input.previous.columns.some((c) => c.name === rule.params.column)
  ) {
    return `column "${rule.params.column}" is not in the previous version`;
  }
  if (rule.type === "ref_integrity") {
    const ref = input.refs?.[rule.params.refDatasetId];
    if (!ref) return `referenced dataset ${rule.params.refDatasetId} has no READY version`;
    if (!ref.columns.some((c) => c.name === rule.params.refColumn)) {
      return `column "${rule.params.refColumn}" is not in the referenced version`;
    }
  }
  return null;
};

/**
 * Compiles a rule set for one version into as few table scans as possible: one aggregate scan for all
 * row-level rules, row_count and freshness; one query per set-level rule (unique, ref_integrity, drift,
 * outlier, custom_sql); and per rule a failing-row sample query (run only for rules that failed).
 */
export const compileRuleSet = (input: TCompileInput): TCompiledPlan => {
  const table = qualify(input.target.schema, input.target.table);
  const columns = new Map(input.target.columns.map((column) => [column.name, column]));
  const select = [LINE_COLUMN, ...input.target.columns.map((column) => column.name)]
    .map((name) => quoteIdent(name))
    .join(", ");
  const sample = (ruleId: string, sql: string, params: unknown[], untrusted = false): TSampleQuery => ({
    ruleId,
    sql: `${sql} ORDER BY ${quoteIdent(LINE_COLUMN)} LIMIT ${SAMPLE_LIMIT}`,
    params,
    untrusted,
  });

  const plan: TCompiledPlan = {
    main: compileMainQuery(table, [], input.now),
    mainByRule: [],
    queries: [],
    samples: [],
    fixed: [],
    invalid: [],
  };
  const mainRules: Parameters<typeof compileMainQuery>[1] = [];

  for (const rule of input.rules) {
    const problem = checkRule(rule, columns, input);
    if (problem) {
      plan.invalid.push({ ruleId: rule.id, message: problem });
      continue;
    }
    if (isRowRule(rule) || isTableRule(rule)) {
      mainRules.push(rule);
      if (isRowRule(rule)) plan.samples.push(rowSample(rule, table, select, sample));
      continue;
    }
    const query = compileSetRule(rule, table, columns, input);
    if (query === null) {
      plan.fixed.push({
        ruleId: rule.id,
        failingCount: 0,
        checkedCount: 0,
        observed: { skipped: "no previous READY version to compare with" },
      });
      continue;
    }
    plan.queries.push(query);
    if (rule.type === "unique") {
      plan.samples.push(sample(rule.id, uniqueSampleSql(table, rule, select), []));
    } else if (rule.type === "ref_integrity") {
      const { ref, refColumn } = resolveRef(input, rule.params);
      const from = refAntiJoin(table, ref, columns.get(rule.params.column)!, refColumn);
      const tSelect = [LINE_COLUMN, ...input.target.columns.map((c) => c.name)]
        .map((name) => `t.${quoteIdent(name)}`)
        .join(", ");
      plan.samples.push(sample(rule.id, `SELECT ${tSelect} ${from}`, []));
    } else if (rule.type === "outlier") {
      const params = createParams();
      const from = outlierFrom(table, rule, params);
      const tSelect = [LINE_COLUMN, ...input.target.columns.map((c) => c.name)]
        .map((name) => `t.${quoteIdent(name)}`)
        .join(", ");
      plan.samples.push(sample(rule.id, `SELECT ${tSelect}, med.m AS group_median ${from}`, params.values));
    } else if (rule.type === "custom_sql") {
      // The rule's SELECT may not have `_line`; its own order is kept.
      plan.samples.push({
        ruleId: rule.id,
        sql: `SELECT * FROM (${customSqlText(table, rule)}) AS q LIMIT ${SAMPLE_LIMIT}`,
        params: [],
        untrusted: true,
      });
    }
  }
  plan.main = compileMainQuery(table, mainRules, input.now);
  plan.mainByRule = mainRules.map((rule) => ({
    ...compileMainQuery(table, [rule], input.now),
    key: `main:${rule.id}`,
  }));
  return plan;
};

// Only called after checkRule accepted the rule, so the reference and its column exist.
const resolveRef = (input: TCompileInput, params: { refDatasetId: string; refColumn: string }) => {
  const ref = input.refs ? input.refs[params.refDatasetId] : null;
  const refColumn = ref?.columns.find((c) => c.name === params.refColumn);
  if (!ref || !refColumn)
    throw new Error(`reference ${params.refDatasetId}.${params.refColumn} not resolved`);
  return { ref, refColumn };
};

const rowSample = (
  rule: TRowRule,
  table: string,
  select: string,
  sample: (ruleId: string, sql: string, params: unknown[]) => TSampleQuery,
): TSampleQuery => {
  const params = createParams();
  const where = failCondition(rule, params);
  return sample(rule.id, `SELECT ${select} FROM ${table} WHERE ${where}`, params.values);
};

const compileSetRule = (
  rule: TTypedRule,
  table: string,
  columns: Map<string, TColumn>,
  input: TCompileInput,
): TCompiledQuery | null => {
  switch (rule.type) {
    case "unique":
      return compileUnique(table, rule);
    case "ref_integrity": {
      const { ref, refColumn } = resolveRef(input, rule.params);
      return compileRefIntegrity(table, rule, ref, columns.get(rule.params.column)!, refColumn);
    }
    case "outlier":
      return compileOutlier(table, rule);
    case "custom_sql":
      return compileCustomSql(table, rule);
    case "drift": {
      if (!input.previous) return null;
      const previous = qualify(input.previous.schema, input.previous.table);
      return compileDrift(table, previous, rule, columns.get(rule.params.column)!);
    }
    case "not_null":
    case "range":
    case "regex":
    case "allowed_set":
    case "length":
    case "row_count":
    case "freshness":
      throw new Error(`${rule.type} is compiled into the main query`);
    default: {
      const unreachable: never = rule;
      throw new Error(`Unknown rule ${JSON.stringify(unreachable)}`);
    }
  }
};
