// SQL text helpers of the compiler. Identifiers are always quoted; values always travel as bind
// parameters ($n) carried next to the statement, never spliced into its text.

import { quoteIdent } from "@dam/vocabulary/sql-ident";

export const qualify = (schema: string, table: string): string =>
  `${quoteIdent(schema)}.${quoteIdent(table)}`;

export type TParams = {
  values: unknown[];
  /** Adds a value and returns its placeholder with an explicit cast, e.g. `$3::double precision`. */
  add: (value: unknown, cast: string) => string;
};

export const createParams = (): TParams => {
  const values: unknown[] = [];
  return {
    values,
    add: (value, cast) => {
      values.push(value);
      return `$${values.length}::${cast}`;
    },
  };
};

/** node-pg returns bigint and numeric as strings; counts fit a double for any realistic table. */
export const toNumber = (value: unknown): number => {
  if (value === null || value === undefined) return 0;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
};
