import type { TColumnType } from "@dam/vocabulary/column-types";
import type { TTypedRule } from "./rule-types.ts";
export type TColumn = { name: string; type: TColumnType };
/** A dataset version's table: where it lives and its columns (besides `_line`). */
export type TTableRef = { schema: string; table: string; columns: TColumn[] };

export type TRuleOutcome = {
  ruleId: string;
  failingCount: number;
  checkedCount: number;
  /** What the rule measured (observed min/max, PSI and bins, distinct missing keys...). */
  observed: Record<string, unknown>;
};

export type TSqlRow = Record<string, unknown>;

export type TCompiledQuery = {
  key: string;
  ruleIds: string[];
  sql: string;
  params: unknown[];
  /** Runs user-written SQL: the executor must use a read-only transaction with a statement timeout. */
  untrusted: boolean;
  /** Turns the query's rows into outcomes; `totalRows` comes from the main query. */
  read: (rows: TSqlRow[], totalRows: number) => TRuleOutcome[];
};

/** Up to SAMPLE_LIMIT failing rows of one rule, with `_line` first, ordered by source line. */
export type TSampleQuery = { ruleId: string; sql: string; params: unknown[]; untrusted: boolean };

export type TCompiledPlan = {
  /** One scan: count(*), every row-level rule, row_count and freshness. Always present, run first. */
  main: TCompiledQuery;
  /**
   * The main scan split up, one query per rule it holds (each also counting the rows): run when the main
   * scan fails, so a rule that breaks at run time fails alone and the others still get their results.
   */
  mainByRule: TCompiledQuery[];
  /** Set-level rules: unique, ref_integrity, drift, custom_sql, outlier (one query each). */
  queries: TCompiledQuery[];
  samples: TSampleQuery[];
  /** Rules decided without SQL (drift with no previous version). */
  fixed: TRuleOutcome[];
  /** Rules that cannot run against this version (missing column, wrong type, missing reference). */
  invalid: { ruleId: string; message: string }[];
};

export type TCompileInput = {
  rules: TTypedRule[];
  target: TTableRef;
  /** The READY version table of each referenced dataset (ref_integrity), by dataset id; null if none. */
  refs?: Record<string, TTableRef | null>;
  /** The previous READY version of the same dataset (drift); null if this is the first. */
  previous?: TTableRef | null;
  /** Reference time of freshness checks. */
  now: Date;
};

export const SAMPLE_LIMIT = 5;
export const LINE_COLUMN = "_line";
