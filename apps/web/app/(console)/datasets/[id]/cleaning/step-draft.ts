/** The step form's state and its translation into a recipe step (the JSON the API validates). */
import type {
  DEDUPE_KEEP,
  IMPUTE_STRATEGIES,
  MATCH_KEEP,
  OUTLIER_METHODS,
  PSEUDONYMISE_MODES,
  TColumnType,
  TConditionOp,
  TEXT_CASES,
  TStepOp,
} from "@dam/cleaning/recipe-vocabulary";

export type Op = TStepOp;

export type ConditionDraft = { column: string; op: TConditionOp; value: string };

export type StepDraft = {
  op: Op;
  column: string;
  keys: string[];
  keep: (typeof DEDUPE_KEEP)[number];
  conditions: ConditionDraft[];
  combine: "all" | "any";
  negate: boolean;
  strategy: (typeof IMPUTE_STRATEGIES)[number];
  value: string;
  method: (typeof OUTLIER_METHODS)[number];
  k: string;
  trim: boolean;
  caseMode: (typeof TEXT_CASES)[number];
  collapseSpaces: boolean;
  to: TColumnType;
  refDatasetId: string;
  refColumn: string;
  matchKeep: (typeof MATCH_KEEP)[number];
  groupBy: string;
  maxRatio: string;
  pseudonymMode: (typeof PSEUDONYMISE_MODES)[number];
};

export const emptyDraft = (column: string): StepDraft => ({
  op: "dedupe",
  column,
  keys: [],
  keep: "first",
  conditions: [{ column, op: "eq", value: "" }],
  combine: "all",
  negate: false,
  strategy: "mean",
  value: "",
  method: "iqr",
  k: "1.5",
  trim: true,
  caseMode: "none",
  collapseSpaces: false,
  to: "integer",
  refDatasetId: "",
  refColumn: "",
  matchKeep: "matched",
  groupBy: "",
  maxRatio: "10",
  pseudonymMode: "hash",
});

// Values go to the API as typed by the user; the API reads them with the column's type (so "12" is an
// integer for an integer column) and names the step and field of any value it cannot read.
const conditionOf = (draft: ConditionDraft): Record<string, unknown> => {
  if (draft.op === "is_null" || draft.op === "not_null") return { column: draft.column, op: draft.op };
  if (draft.op === "in" || draft.op === "not_in") {
    const values = draft.value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "");
    return { column: draft.column, op: draft.op, value: values };
  }
  return { column: draft.column, op: draft.op, value: draft.value };
};

export const stepOf = (draft: StepDraft): Record<string, unknown> => {
  switch (draft.op) {
    case "dedupe":
      return { op: "dedupe", keys: draft.keys, keep: draft.keep };
    case "drop_where": {
      const parts = draft.conditions.map(conditionOf);
      const condition = parts.length === 1 ? parts[0] : { [draft.combine]: parts };
      return { op: "drop_where", condition: draft.negate ? { not: condition } : condition };
    }
    case "impute":
      return draft.strategy === "constant"
        ? { op: "impute", column: draft.column, strategy: "constant", value: draft.value }
        : { op: "impute", column: draft.column, strategy: draft.strategy };
    case "clip_outliers":
    case "drop_outliers":
      return { op: draft.op, column: draft.column, method: draft.method, k: Number(draft.k) };
    case "normalise_text":
      return {
        op: "normalise_text",
        column: draft.column,
        trim: draft.trim,
        case: draft.caseMode,
        collapseSpaces: draft.collapseSpaces,
      };
    case "cast":
      return { op: "cast", column: draft.column, to: draft.to };
    case "match_dataset":
      return {
        op: "match_dataset",
        column: draft.column,
        refDatasetId: draft.refDatasetId,
        refColumn: draft.refColumn,
        keep: draft.matchKeep,
      };
    case "drop_group_outliers":
      return {
        op: "drop_group_outliers",
        column: draft.column,
        ...(draft.groupBy ? { groupBy: draft.groupBy } : {}),
        maxRatio: Number(draft.maxRatio),
      };
    case "pseudonymise":
      return { op: "pseudonymise", column: draft.column, mode: draft.pseudonymMode };
    default: {
      const unreachable: never = draft.op;
      throw new Error(`unknown op ${String(unreachable)}`);
    }
  }
};

/** One line per step for the recipe list. */
export const describeStep = (step: unknown): string => {
  if (!step || typeof step !== "object") return String(step);
  const { op, ...rest } = step as Record<string, unknown>;
  return `${String(op)} ${JSON.stringify(rest)}`;
};
