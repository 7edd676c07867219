import { z } from "zod";

// Rule definitions: one zod schema of params per rule type. The API validates a rule's params with
// these before storing it, and the compiler parses them again (stored JSON is never trusted).

export const RULE_TYPES = [
  "not_null",
  "unique",
  "range",
  "regex",
  "allowed_set",
  "length",
  "row_count",
  "freshness",
  "ref_integrity",
  "drift",
  "custom_sql",
  "outlier",
] as const;

export const ZRuleType = z.enum(RULE_TYPES);
export type TRuleType = z.infer<typeof ZRuleType>;

export const ZSeverity = z.enum(["WARN", "ERROR"]);
export type TSeverity = z.infer<typeof ZSeverity>;

const ZColumnName = z.string().min(1, "column: required").max(120);

const bounded = <T extends { min?: number; max?: number }>(params: T) =>
  params.min === undefined || params.max === undefined || params.min <= params.max;
const BOUNDS_MESSAGE = { message: "min must not exceed max", path: ["min"] };

export const ZNotNullParams = z.object({ column: ZColumnName });
export const ZUniqueParams = z.object({ columns: z.array(ZColumnName).min(1).max(16) });
export const ZRangeParams = z
  .object({ column: ZColumnName, min: z.number().finite().optional(), max: z.number().finite().optional() })
  .refine((p) => p.min !== undefined || p.max !== undefined, { message: "range: give min, max or both" })
  .refine(bounded, BOUNDS_MESSAGE);
export const ZRegexParams = z.object({
  column: ZColumnName,
  // Run by PostgreSQL's `~` (its ARE flavour, not JavaScript's): the API has PostgreSQL compile it
  // when the rule is saved; a stored pattern that still fails at run time fails its rule alone.
  pattern: z.string().min(1).max(1000),
});
export const ZAllowedSetParams = z.object({
  column: ZColumnName,
  values: z.array(z.string()).min(1).max(10_000),
});
export const ZLengthParams = z
  .object({
    column: ZColumnName,
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().nonnegative().optional(),
  })
  .refine((p) => p.min !== undefined || p.max !== undefined, { message: "length: give min, max or both" })
  .refine(bounded, BOUNDS_MESSAGE);
export const ZRowCountParams = z
  .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
  .refine((p) => p.min !== undefined || p.max !== undefined, { message: "row_count: give min, max or both" })
  .refine(bounded, BOUNDS_MESSAGE);
export const ZFreshnessParams = z.object({ column: ZColumnName, maxAgeHours: z.number().positive() });
export const ZRefIntegrityParams = z.object({
  column: ZColumnName,
  refDatasetId: z.string().uuid(),
  refColumn: ZColumnName,
});
export const ZDriftParams = z.object({
  column: ZColumnName,
  method: z.enum(["psi", "chi_square"]),
  // psi: fail when PSI > threshold (0.1 "moderate", 0.25 "significant" shift: Siddiqi 2006, credit
  // scoring practice). chi_square: the significance level; fail when the p-value < threshold.
  threshold: z.number().positive(),
});
export const ZCustomSqlParams = z.object({
  sql: z
    .string()
    .min(1)
    .max(20_000)
    .refine((sql) => /^\s*(select|with)\b/i.test(sql), {
      message: "sql: must be a SELECT (or WITH ... SELECT)",
    })
    .refine((sql) => !sql.includes(";"), { message: "sql: one statement, no semicolons" })
    .refine((sql) => sql.includes("{{table}}"), { message: "sql: must read the version through {{table}}" }),
});
// Values further than `maxRatio` times from their group's median (either side, on a log scale): the
// robust test for x100 / x1000 data-entry errors, where a z-score is dragged by the outliers themselves.
export const ZOutlierParams = z.object({
  column: ZColumnName,
  groupBy: ZColumnName.optional(),
  maxRatio: z.number().gt(1),
});

export const RULE_PARAMS = {
  not_null: ZNotNullParams,
  unique: ZUniqueParams,
  range: ZRangeParams,
  regex: ZRegexParams,
  allowed_set: ZAllowedSetParams,
  length: ZLengthParams,
  row_count: ZRowCountParams,
  freshness: ZFreshnessParams,
  ref_integrity: ZRefIntegrityParams,
  drift: ZDriftParams,
  custom_sql: ZCustomSqlParams,
  outlier: ZOutlierParams,
} as const satisfies Record<TRuleType, z.ZodType>;

export type TRuleParams = { [K in TRuleType]: z.infer<(typeof RULE_PARAMS)[K]> };

/** A rule with params parsed for its type (a discriminated union on `type`). */
export type TTypedRule = {
  [K in TRuleType]: { id: string; type: K; params: TRuleParams[K]; severity: TSeverity };
}[TRuleType];

export type TRuleInput = { id: string; type: string; params: unknown; severity: TSeverity };

export type TParseRuleResult = { ok: true; rule: TTypedRule } | { ok: false; message: string };

/** Validates a stored or submitted rule; the message names the offending field. */
export const parseRule = (input: TRuleInput): TParseRuleResult => {
  const type = ZRuleType.safeParse(input.type);
  if (!type.success) return { ok: false, message: `type: unknown rule type "${input.type}"` };
  const params = RULE_PARAMS[type.data].safeParse(input.params);
  if (!params.success) {
    const issue = params.error.issues[0];
    const where = issue && issue.path.length > 0 ? `params.${issue.path.join(".")}: ` : "params: ";
    return { ok: false, message: `${where}${issue?.message ?? "invalid"}` };
  }
  return {
    ok: true,
    rule: { id: input.id, type: type.data, params: params.data, severity: input.severity } as TTypedRule,
  };
};

/** Columns a rule reads in the checked version (used to validate against the schema). */
export const columnsOf = (rule: TTypedRule): string[] => {
  switch (rule.type) {
    case "unique":
      return rule.params.columns;
    case "row_count":
    case "custom_sql":
      return [];
    case "outlier":
      return rule.params.groupBy ? [rule.params.column, rule.params.groupBy] : [rule.params.column];
    case "not_null":
    case "range":
    case "regex":
    case "allowed_set":
    case "length":
    case "freshness":
    case "ref_integrity":
    case "drift":
      return [rule.params.column];
    default: {
      const unreachable: never = rule;
      throw new Error(`Unknown rule ${JSON.stringify(unreachable)}`);
    }
  }
};
