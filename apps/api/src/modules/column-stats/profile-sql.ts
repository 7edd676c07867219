import type { TColumnType } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";

// SQL of the profile job. Identifiers come from the version's stored schema and are always quoted;
// result aliases are positional (c0_, c1_...) so no column name ever reaches an alias.

export type TProfiledType = TColumnType;
export type TProfiledColumn = { name: string; type: TProfiledType };

export const QUANTILE_LEVELS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const HISTOGRAM_BINS = 20;
export const TOP_VALUES = 10;

export const isNumeric = (type: TProfiledType): boolean => type === "integer" || type === "decimal";
/** Columns with an order and a distance: they get min/max/mean/stddev, quantiles and a histogram. */
export const isMeasurable = (type: TProfiledType): boolean => isNumeric(type) || type === "timestamp";

/** The value a measurable column is measured by: timestamps as seconds since the epoch. */
export const measureExpr = (column: TProfiledColumn): string =>
  column.type === "timestamp"
    ? `extract(epoch from ${quoteIdent(column.name)})::float8`
    : `${quoteIdent(column.name)}::float8`;

/** One scan for every column's basic statistics. */
export const buildBasicStatsSql = (table: string, columns: TProfiledColumn[]): string => {
  const parts = ["count(*)::text AS row_count"];
  columns.forEach((column, i) => {
    const ident = quoteIdent(column.name);
    parts.push(`count(${ident})::text AS c${i}_non_null`, `count(DISTINCT ${ident})::text AS c${i}_distinct`);
    if (isMeasurable(column.type)) {
      const measure = measureExpr(column);
      parts.push(
        `min(${ident}) AS c${i}_min`,
        `max(${ident}) AS c${i}_max`,
        `avg(${measure})::float8 AS c${i}_mean`,
        `stddev_samp(${measure})::float8 AS c${i}_stddev`,
      );
    }
    if (column.type === "text") {
      parts.push(
        `min(length(${ident})) AS c${i}_min_length`,
        `max(length(${ident})) AS c${i}_max_length`,
        `avg(length(${ident}))::float8 AS c${i}_mean_length`,
      );
    }
  });
  return `SELECT ${parts.join(", ")} FROM ${table}`;
};

/**
 * One scan for the quantiles of every measurable column (ordered-set aggregates ignore nulls).
 * Integers use percentile_disc so every quantile is a value that occurs; decimals and timestamps
 * interpolate with percentile_cont. Returns null when there is nothing to measure.
 */
export const buildQuantilesSql = (
  table: string,
  columns: TProfiledColumn[],
): { sql: string; indexes: number[] } | null => {
  const levels = `ARRAY[${QUANTILE_LEVELS.join(", ")}]::float8[]`;
  const indexes = columns.flatMap((column, i) => (isMeasurable(column.type) ? [i] : []));
  if (indexes.length === 0) return null;
  const parts = indexes.map((i) => {
    const column = columns[i] as TProfiledColumn;
    const fn = column.type === "integer" ? "percentile_disc" : "percentile_cont";
    return `${fn}(${levels}) WITHIN GROUP (ORDER BY ${measureExpr(column)}) AS c${i}_q`;
  });
  return { sql: `SELECT ${parts.join(", ")} FROM ${table}`, indexes };
};

/**
 * Equal-width histogram over [$1, $2]. width_bucket puts the maximum itself in bucket bins + 1,
 * so it is folded into the last bin (the usual closed last interval).
 */
export const buildHistogramSql = (table: string, column: TProfiledColumn): string => {
  const measure = measureExpr(column);
  return (
    `SELECT least(width_bucket(${measure}, $1::float8, $2::float8, ${HISTOGRAM_BINS}), ${HISTOGRAM_BINS}) AS bin, ` +
    `count(*)::text AS n FROM ${table} WHERE ${quoteIdent(column.name)} IS NOT NULL GROUP BY 1 ORDER BY 1`
  );
};

/** Most frequent non-null values; ties broken by the value itself so the answer is deterministic. */
export const buildTopValuesSql = (table: string, column: TProfiledColumn): string => {
  const ident = quoteIdent(column.name);
  return (
    `SELECT ${ident} AS value, count(*)::text AS n FROM ${table} WHERE ${ident} IS NOT NULL ` +
    `GROUP BY ${ident} ORDER BY count(*) DESC, ${ident} ASC LIMIT ${TOP_VALUES}`
  );
};

/** Bin bounds of an equal-width histogram; a constant column gets one bin holding every value. */
export const histogramBounds = (min: number, max: number): { lower: number; upper: number }[] => {
  if (!(max > min)) return [{ lower: min, upper: max }];
  const width = (max - min) / HISTOGRAM_BINS;
  return Array.from({ length: HISTOGRAM_BINS }, (_, i) => ({
    lower: min + i * width,
    upper: i === HISTOGRAM_BINS - 1 ? max : min + (i + 1) * width,
  }));
};
