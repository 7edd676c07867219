import type { TColumnType } from "@dam/vocabulary/column-types";
import type { z } from "zod";
import {
  type TCleaningStep,
  type TComparison,
  type TCondition,
  type TRecipeColumn,
  ZCleaningSteps,
} from "./recipe-schema.ts";
import { parseValue } from "./value-parsing.ts";

export type TRecipeValidation =
  | { ok: true; steps: TCleaningStep[]; columns: TRecipeColumn[] }
  | { ok: false; issues: string[] };

const NUMERIC: readonly TColumnType[] = ["integer", "decimal"];
/**
 * Deepest nesting of any / all / not in one condition. Hand-written conditions stay far below it; the
 * limit keeps the recursive parser and compiler from running out of stack on hostile input.
 */
export const MAX_CONDITION_DEPTH = 32;
const ORDERED: readonly TColumnType[] = ["integer", "decimal", "timestamp", "text"];
const MAX_LIST = 1_000;

/** `["2", "column"]` -> `steps[2].column`: the same path a user sees in their JSON. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    "steps",
  );

const zodIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => {
    // A union failure says nothing useful by itself; its branches say which fields are wrong.
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const branch = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      const first = branch[0];
      if (first) return `${formatPath([...issue.path, ...first.path])}: ${first.message}`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });

type TScope = { columns: Map<string, TRecipeColumn>; issues: string[] };

const columnOf = (scope: TScope, name: string, path: PropertyKey[]): TRecipeColumn | undefined => {
  const column = scope.columns.get(name);
  if (!column) scope.issues.push(`${formatPath(path)}: unknown column ${JSON.stringify(name)}`);
  return column;
};

const needType = (
  scope: TScope,
  column: TRecipeColumn,
  allowed: readonly TColumnType[],
  what: string,
  path: PropertyKey[],
): boolean => {
  if (allowed.includes(column.type)) return true;
  scope.issues.push(
    `${formatPath(path)}: ${what} needs a column of type ${allowed.join(" or ")}; "${column.name}" is ${column.type}`,
  );
  return false;
};

const checkComparison = (scope: TScope, condition: TComparison, path: PropertyKey[]): void => {
  const column = columnOf(scope, condition.column, [...path, "column"]);
  if (!column) return;
  const at = formatPath([...path, "value"]);
  const { op, value } = condition;
  if (op === "is_null" || op === "not_null") {
    if (value !== undefined) scope.issues.push(`${at}: ${op} takes no value`);
    return;
  }
  if (value === undefined) {
    scope.issues.push(`${at}: ${op} needs a value`);
    return;
  }
  if (op === "in" || op === "not_in") {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) {
      scope.issues.push(`${at}: ${op} needs a list of 1 to ${MAX_LIST} values`);
      return;
    }
    value.forEach((item, index) => {
      const parsed = parseValue(item, column.type);
      if (!parsed.ok) scope.issues.push(`${formatPath([...path, "value", index])}: ${parsed.reason}`);
    });
    return;
  }
  if (Array.isArray(value)) {
    scope.issues.push(`${at}: ${op} needs a single value, not a list`);
    return;
  }
  if (op === "starts_with" || op === "matches") {
    if (!needType(scope, column, ["text"], op, [...path, "column"])) return;
    // A `matches` pattern is compiled by PostgreSQL, which runs it (see findPatterns).
    if (typeof value !== "string") scope.issues.push(`${at}: ${op} needs a string`);
    return;
  }
  if (op !== "eq" && op !== "neq" && !needType(scope, column, ORDERED, op, [...path, "column"])) return;
  const parsed = parseValue(value, column.type);
  if (!parsed.ok) scope.issues.push(`${at}: ${parsed.reason}`);
};

const checkCondition = (scope: TScope, condition: TCondition, path: PropertyKey[]): void => {
  if ("any" in condition) {
    for (const [i, inner] of condition.any.entries()) checkCondition(scope, inner, [...path, "any", i]);
  } else if ("all" in condition) {
    for (const [i, inner] of condition.all.entries()) checkCondition(scope, inner, [...path, "all", i]);
  } else if ("not" in condition) checkCondition(scope, condition.not, [...path, "not"]);
  else checkComparison(scope, condition, path);
};

// Checks one step against the columns as they are at that point of the recipe (a cast changes a type).
const checkStep = (scope: TScope, step: TCleaningStep, index: number): void => {
  const path: PropertyKey[] = [index];
  switch (step.op) {
    case "dedupe": {
      step.keys.forEach((key, i) => {
        columnOf(scope, key, [index, "keys", i]);
      });
      if (new Set(step.keys).size !== step.keys.length) {
        scope.issues.push(`${formatPath([index, "keys"])}: a key column is listed twice`);
      }
      return;
    }
    case "drop_where":
      checkCondition(scope, step.condition, [index, "condition"]);
      return;
    case "impute": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (!column) return;
      if (step.strategy === "mean" || step.strategy === "median") {
        needType(scope, column, NUMERIC, `impute ${step.strategy}`, [...path, "column"]);
      } else if (step.strategy === "constant") {
        const parsed = step.value === undefined ? null : parseValue(step.value, column.type);
        if (!parsed) scope.issues.push(`${formatPath([...path, "value"])}: impute constant needs a value`);
        else if (!parsed.ok) scope.issues.push(`${formatPath([...path, "value"])}: ${parsed.reason}`);
      }
      return;
    }
    case "clip_outliers":
    case "drop_outliers": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (column) needType(scope, column, NUMERIC, step.op, [...path, "column"]);
      return;
    }
    case "normalise_text": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (column) needType(scope, column, ["text"], step.op, [...path, "column"]);
      if (!step.trim && !step.collapseSpaces && step.case === "none") {
        scope.issues.push(
          `${formatPath(path)}: normalise_text changes nothing (set trim, case or collapseSpaces)`,
        );
      }
      return;
    }
    case "cast": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (column) scope.columns.set(column.name, { ...column, type: step.to });
      return;
    }
    case "match_dataset":
      // The other dataset's column is checked where its schema is known (the API, at save and run).
      columnOf(scope, step.column, [...path, "column"]);
      return;
    case "drop_group_outliers": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (column) needType(scope, column, NUMERIC, step.op, [...path, "column"]);
      if (step.groupBy !== undefined) columnOf(scope, step.groupBy, [...path, "groupBy"]);
      return;
    }
    case "pseudonymise": {
      const column = columnOf(scope, step.column, [...path, "column"]);
      if (!column) return;
      if (step.mode === "drop") scope.columns.delete(column.name);
      else scope.columns.set(column.name, { ...column, type: "text" });
      if (scope.columns.size === 0)
        scope.issues.push(`${formatPath(path)}: a recipe cannot drop every column`);
      return;
    }
    default: {
      const unreachable: never = step;
      scope.issues.push(`${formatPath(path)}: unknown op ${JSON.stringify(unreachable)}`);
    }
  }
};

/**
 * Every `matches` pattern of validated steps with its path (`steps[1].condition.any[0].value`), for the
 * caller to have PostgreSQL compile: its regex dialect is the one that runs them.
 */
export const findPatterns = (steps: TCleaningStep[]): { path: string; pattern: string }[] => {
  const found: { path: string; pattern: string }[] = [];
  const stack: { condition: TCondition; path: PropertyKey[] }[] = [];
  steps.forEach((step, index) => {
    if (step.op === "drop_where") stack.push({ condition: step.condition, path: [index, "condition"] });
  });
  while (stack.length > 0) {
    const { condition, path } = stack.pop()!;
    if ("any" in condition) {
      for (const [i, inner] of condition.any.entries())
        stack.push({ condition: inner, path: [...path, "any", i] });
    } else if ("all" in condition) {
      for (const [i, inner] of condition.all.entries())
        stack.push({ condition: inner, path: [...path, "all", i] });
    } else if ("not" in condition) stack.push({ condition: condition.not, path: [...path, "not"] });
    else if (condition.op === "matches" && typeof condition.value === "string") {
      found.push({ path: formatPath([...path, "value"]), pattern: condition.value });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
};

/**
 * The index of the first step whose condition nests any / all / not deeper than MAX_CONDITION_DEPTH,
 * or -1. Walks the raw input with its own stack (never recursion), before anything recursive reads it.
 */
export const findTooDeepCondition = (input: unknown): number => {
  if (!Array.isArray(input)) return -1;
  for (const [index, step] of input.entries()) {
    const root = (step as { condition?: unknown } | null)?.condition;
    const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (node === null || typeof node !== "object") continue;
      if (depth > MAX_CONDITION_DEPTH) return index;
      const { any, all, not } = node as { any?: unknown; all?: unknown; not?: unknown };
      for (const list of [any, all]) {
        if (Array.isArray(list)) for (const inner of list) stack.push({ node: inner, depth: depth + 1 });
      }
      if (not !== undefined) stack.push({ node: not, depth: depth + 1 });
    }
  }
  return -1;
};

/**
 * Validates recipe steps: their shape (zod), then, when the columns are known, every column reference,
 * type and value in order. Every problem is reported with its path, e.g.
 * `steps[2].column: unknown column "price"`; the output columns are those after the casts.
 */
export const validateRecipe = (input: unknown, columns: TRecipeColumn[] | null): TRecipeValidation => {
  const tooDeep = findTooDeepCondition(input);
  if (tooDeep >= 0) {
    return {
      ok: false,
      issues: [
        `${formatPath([tooDeep, "condition"])}: nested deeper than ${MAX_CONDITION_DEPTH} levels of any / all / not`,
      ],
    };
  }
  const parsed = ZCleaningSteps.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  if (!columns) return { ok: true, steps: parsed.data, columns: [] };
  const scope: TScope = { columns: new Map(columns.map((column) => [column.name, column])), issues: [] };
  parsed.data.forEach((step, index) => {
    checkStep(scope, step, index);
  });
  if (scope.issues.length > 0) return { ok: false, issues: scope.issues };
  return {
    ok: true,
    steps: parsed.data,
    // Columns a pseudonymise step dropped are gone from the output.
    columns: columns.flatMap((column) => {
      const out = scope.columns.get(column.name);
      return out ? [out] : [];
    }),
  };
};
