import type { TColumnType } from "./recipe-vocabulary.ts";

// Kept in step with packages/db/src/data-plane.ts (the tables the compiled SQL reads and writes); this
// package stays free of the database client, so the few lines are repeated rather than imported.
const SQL_TYPES: Record<TColumnType, string> = {
  integer: "bigint",
  decimal: "double precision",
  boolean: "boolean",
  timestamp: "timestamptz",
  text: "text",
};

export const sqlTypeOf = (type: TColumnType): string => SQL_TYPES[type];

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export type TSqlParams = {
  values: unknown[];
  /** Adds a bind parameter and returns its placeholder with an explicit cast (`$3::bigint`). */
  bind: (value: unknown, sqlType: string) => string;
};

export const createSqlParams = (): TSqlParams => {
  const values: unknown[] = [];
  return {
    values,
    bind: (value, sqlType) => {
      values.push(value);
      return `$${values.length}::${sqlType}`;
    },
  };
};
