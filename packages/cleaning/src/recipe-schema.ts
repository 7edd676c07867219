import { PII_TYPES } from "@dam/privacy/pii-types";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { COLUMN_TYPES } from "@dam/vocabulary/column-types";
import { z } from "zod";
import {
  CONDITION_OPS,
  DEDUPE_KEEP,
  IMPUTE_STRATEGIES,
  MATCH_KEEP,
  OUTLIER_METHODS,
  PSEUDONYMISE_MODES,
  TEXT_CASES,
  type TStepOp,
} from "./recipe-vocabulary.ts";

// The vocabulary of cleaning recipes. Steps are structured data, never SQL text: the compiler decides
// every piece of SQL, and user values only ever reach the database as bind parameters.

/** A column of a version table, as stored in DatasetVersion.schema; extra fields are carried through. */
export type TRecipeColumn = {
  name: string;
  type: TColumnType;
  nullable?: boolean;
  role?: string | null;
  source?: string;
};

export const ZRecipeColumn = z.looseObject({
  name: z.string().min(1),
  type: z.enum(COLUMN_TYPES),
  nullable: z.boolean().optional(),
  role: z.string().nullable().optional(),
  source: z.string().optional(),
});

const ZScalar = z.union([z.string(), z.number(), z.boolean()]);
export type TScalar = z.infer<typeof ZScalar>;

export const ZComparison = z.strictObject({
  column: z.string().min(1),
  op: z.enum(CONDITION_OPS),
  value: z.union([ZScalar, z.array(ZScalar)]).optional(),
});
export type TComparison = z.infer<typeof ZComparison>;

export type TCondition = TComparison | { any: TCondition[] } | { all: TCondition[] } | { not: TCondition };

export const ZCondition: z.ZodType<TCondition> = z.lazy(() =>
  z.union([
    ZComparison,
    z.strictObject({ any: z.array(ZCondition).min(1) }),
    z.strictObject({ all: z.array(ZCondition).min(1) }),
    z.strictObject({ not: ZCondition }),
  ]),
);

const ZColumnName = z.string().min(1);
const ZOutlierMethod = z.enum(OUTLIER_METHODS);
// k: fence width in standard deviations (z-score) or inter-quartile ranges (Tukey's fences, k = 1.5 usual).
const ZFence = z.number().positive().max(1_000);

export const ZCleaningStep = z.discriminatedUnion("op", [
  z.strictObject({
    op: z.literal("dedupe"),
    /** Columns that identify a duplicate; empty = every column (exact duplicate rows). */
    keys: z.array(ZColumnName).default([]),
    /** Which row of a duplicate group survives, by source line. */
    keep: z.enum(DEDUPE_KEEP).default("first"),
  }),
  z.strictObject({ op: z.literal("drop_where"), condition: ZCondition }),
  z.strictObject({
    op: z.literal("impute"),
    column: ZColumnName,
    strategy: z.enum(IMPUTE_STRATEGIES),
    value: ZScalar.optional(),
  }),
  z.strictObject({ op: z.literal("clip_outliers"), column: ZColumnName, method: ZOutlierMethod, k: ZFence }),
  z.strictObject({ op: z.literal("drop_outliers"), column: ZColumnName, method: ZOutlierMethod, k: ZFence }),
  z.strictObject({
    op: z.literal("normalise_text"),
    column: ZColumnName,
    trim: z.boolean().default(true),
    case: z.enum(TEXT_CASES).default("none"),
    collapseSpaces: z.boolean().default(false),
  }),
  z.strictObject({ op: z.literal("cast"), column: ZColumnName, to: z.enum(COLUMN_TYPES) }),
  z.strictObject({
    op: z.literal("match_dataset"),
    column: ZColumnName,
    /** The other dataset; its newest READY version is read when the recipe runs. */
    refDatasetId: z.string().uuid(),
    refColumn: ZColumnName,
    /** matched: drop rows whose value the other dataset lacks (NULL included); unmatched: drop rows it has. */
    keep: z.enum(MATCH_KEEP).default("matched"),
  }),
  z.strictObject({
    op: z.literal("drop_group_outliers"),
    column: ZColumnName,
    groupBy: ZColumnName.optional(),
    /** Drop values above median x maxRatio or below median / maxRatio (the quality rule `outlier`). */
    maxRatio: z.number().gt(1).max(1_000_000),
  }),
  z.strictObject({
    op: z.literal("pseudonymise"),
    column: ZColumnName,
    /** hash: the install's keyed pseudonym (the one masking shows, so joins still work); drop: no column. */
    mode: z.enum(PSEUDONYMISE_MODES),
    /** The kind of personal data, for the normalisation before hashing (an email's case does not count). */
    piiType: z.enum(PII_TYPES).optional(),
  }),
]);
export type TCleaningStep = z.output<typeof ZCleaningStep>;
export type TCleaningStepInput = z.input<typeof ZCleaningStep>;
export type TCleaningOp = TCleaningStep["op"];
// STEP_OPS (what the console offers) must list exactly the ops this union accepts.
const stepOpsMatch: [TCleaningOp, TStepOp] extends [TStepOp, TCleaningOp] ? true : never = true;
void stepOpsMatch;

export const MAX_STEPS = 50;
export const ZCleaningSteps = z
  .array(ZCleaningStep)
  .min(1, "a recipe needs at least one step")
  .max(MAX_STEPS, `a recipe has at most ${MAX_STEPS} steps`);

/** What one step did to the data; `changed` is null for steps that only drop rows. */
export const ZStepReport = z.object({
  step: z.number().int().nonnegative(),
  op: z.string(),
  rowsIn: z.number(),
  rowsOut: z.number(),
  changed: z.number().nullable(),
});
export type TStepReport = z.infer<typeof ZStepReport>;
