// The column types a dataset version's table can hold: inferred at import, forced by an import's
// type map, cast by cleaning recipes and compiled into quality rules. One list, one SQL mapping.

export const COLUMN_TYPES = ["integer", "decimal", "boolean", "timestamp", "text"] as const;
export type TColumnType = (typeof COLUMN_TYPES)[number];

export const isColumnType = (value: string): value is TColumnType =>
  (COLUMN_TYPES as readonly string[]).includes(value);

// integer as bigint: counts and ids in shop exports pass 2^31; decimal as double precision: prices
// and scores need no exact arithmetic, and the recommenders read Float64 anyway.
const SQL_TYPES: Record<TColumnType, string> = {
  integer: "bigint",
  decimal: "double precision",
  boolean: "boolean",
  timestamp: "timestamptz",
  text: "text",
};

/** The PostgreSQL type of a column type's table column. */
export const sqlTypeOf = (type: TColumnType): string => SQL_TYPES[type];
