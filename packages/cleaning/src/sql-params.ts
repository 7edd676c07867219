// Bind parameters of the compiled SQL; identifiers and column types come from @dam/vocabulary.

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
