import { sqlTypeOf } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TComparison, TCondition, TRecipeColumn, TScalar } from "./recipe-schema.ts";
import type { TSqlParams } from "./sql-params.ts";
import { parseValue } from "./value-parsing.ts";

const OPERATORS = { eq: "=", neq: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

const bound = (value: TScalar, column: TRecipeColumn): string | number | boolean => {
  const parsed = parseValue(value, column.type);
  // validateRecipe reports these with their path; reaching here means the caller skipped it.
  if (!parsed.ok) throw new Error(`column ${column.name}: ${parsed.reason}`);
  return parsed.value;
};

const compileComparison = (
  condition: TComparison,
  columns: ReadonlyMap<string, TRecipeColumn>,
  params: TSqlParams,
): string => {
  const column = columns.get(condition.column);
  if (!column) throw new Error(`unknown column ${JSON.stringify(condition.column)}`);
  const ident = quoteIdent(column.name);
  const type = sqlTypeOf(column.type);
  const { op, value } = condition;
  const single = (): string => {
    if (value === undefined || Array.isArray(value)) throw new Error(`${op} needs a single value`);
    return params.bind(bound(value, column), type);
  };
  const list = (): string => {
    if (!Array.isArray(value)) throw new Error(`${op} needs a list`);
    return params.bind(
      value.map((item) => bound(item, column)),
      `${type}[]`,
    );
  };
  switch (op) {
    case "eq":
    case "neq":
    case "lt":
    case "lte":
    case "gt":
    case "gte":
      return `${ident} ${OPERATORS[op]} ${single()}`;
    case "starts_with":
      return `starts_with(${ident}, ${single()})`;
    case "matches":
      return `${ident} ~ ${single()}`;
    case "is_null":
      return `${ident} IS NULL`;
    case "not_null":
      return `${ident} IS NOT NULL`;
    case "in":
      return `${ident} = ANY(${list()})`;
    case "not_in":
      return `${ident} <> ALL(${list()})`;
    default: {
      const unreachable: never = op;
      throw new Error(`unknown op ${String(unreachable)}`);
    }
  }
};

/**
 * A boolean SQL expression for a structured condition. SQL's three-valued logic is kept: a comparison
 * with a NULL cell is unknown (neither true nor false); drop_where wraps it so that unknown keeps the row.
 */
export const compileCondition = (
  condition: TCondition,
  columns: ReadonlyMap<string, TRecipeColumn>,
  params: TSqlParams,
): string => {
  if ("any" in condition) {
    return `(${condition.any.map((inner) => compileCondition(inner, columns, params)).join(" OR ")})`;
  }
  if ("all" in condition) {
    return `(${condition.all.map((inner) => compileCondition(inner, columns, params)).join(" AND ")})`;
  }
  if ("not" in condition) return `(NOT ${compileCondition(condition.not, columns, params)})`;
  return `(${compileComparison(condition, columns, params)})`;
};
