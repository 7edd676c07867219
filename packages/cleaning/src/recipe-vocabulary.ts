// The words of a cleaning recipe, as plain lists with no validation library behind them, so that the
// console's recipe builder offers exactly what recipe-schema.ts accepts (and ships no zod to the browser).

export const STEP_OPS = [
  "dedupe",
  "drop_where",
  "impute",
  "clip_outliers",
  "drop_outliers",
  "normalise_text",
  "cast",
  "match_dataset",
  "drop_group_outliers",
  "pseudonymise",
] as const;
export type TStepOp = (typeof STEP_OPS)[number];

// Cast targets are the platform's column types; the console imports them from here with the rest.
export { COLUMN_TYPES, type TColumnType } from "@dam/vocabulary/column-types";

export const CONDITION_OPS = [
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "starts_with",
  "matches",
  "is_null",
  "not_null",
  "in",
  "not_in",
] as const;
export type TConditionOp = (typeof CONDITION_OPS)[number];

/** Which row of a duplicate group survives, by source line. */
export const DEDUPE_KEEP = ["first", "last"] as const;
export const IMPUTE_STRATEGIES = ["mean", "median", "mode", "constant"] as const;
export const OUTLIER_METHODS = ["zscore", "iqr"] as const;
export const TEXT_CASES = ["lower", "upper", "none"] as const;
/** match_dataset: keep the rows whose value is in the other dataset's column, or those whose value is not. */
export const MATCH_KEEP = ["matched", "unmatched"] as const;
/** pseudonymise: replace each value by its keyed pseudonym (HMAC), or drop the column. */
export const PSEUDONYMISE_MODES = ["hash", "drop"] as const;
