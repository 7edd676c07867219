import type { TSeverity } from "./rule-types.ts";

export type TScoredResult = {
  severity: TSeverity;
  failingCount: number;
  checkedCount: number;
  /** Table-level rules (row_count, freshness, drift, errored rules) pass or fail as a whole. */
  wholeTable: boolean;
};

// An ERROR rule weighs three times a WARN rule: a blocking problem should move the score more than an
// advisory one, yet many warnings together still show.
export const SEVERITY_WEIGHT: Record<TSeverity, number> = { ERROR: 3, WARN: 1 };

/** Share of checked rows that pass a rule, in [0, 1]; 1 when nothing was checked. */
export const passFraction = (result: TScoredResult): number => {
  if (result.wholeTable) return result.failingCount > 0 ? 0 : 1;
  if (result.checkedCount <= 0) return result.failingCount > 0 ? 0 : 1;
  return Math.min(1, Math.max(0, 1 - result.failingCount / result.checkedCount));
};

/**
 * Quality score of a version: the severity-weighted mean of the rules' pass fractions,
 *   score = sum_r w(r) * pass(r) / sum_r w(r),  w(ERROR) = 3, w(WARN) = 1,
 * where pass(r) is the share of checked rows that satisfy a row-level rule and 0 or 1 for a
 * table-level rule. 1 means every rule passed on every row; null when the dataset has no rules.
 */
export const qualityScore = (results: TScoredResult[]): number | null => {
  if (results.length === 0) return null;
  let weighted = 0;
  let weights = 0;
  for (const result of results) {
    const weight = SEVERITY_WEIGHT[result.severity];
    weighted += weight * passFraction(result);
    weights += weight;
  }
  return weighted / weights;
};

/** The gate: a version fails when any ERROR-severity rule has failing rows. */
export const gateFailed = (results: Pick<TScoredResult, "severity" | "failingCount">[]): boolean =>
  results.some((result) => result.severity === "ERROR" && result.failingCount > 0);
