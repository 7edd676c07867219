import { qualifiedTable } from "@dam/db/data-plane";
import { UNTYPED_EVENT_COUNTS_AS } from "@dam/vocabulary/event-types";
import { DEFAULT_EVENT_WEIGHT, type TEventWeights } from "@dam/vocabulary/event-weights";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

/** Seconds since the epoch from whatever type the timestamp column was loaded as; null when unusable. */
const timeExpression = (column: { name: string; type: string } | null): string => {
  if (!column) return "NULL::float8";
  const ref = `e.${quoteIdent(column.name)}`;
  if (column.type === "timestamp") return `extract(epoch from ${ref})::float8`;
  if (column.type === "integer" || column.type === "decimal") return `${ref}::float8`;
  return "NULL::float8";
};

/** One (user, item) pair: summed weight, latest time, events, whether all were timed, whether excluded. */
export type TWeightedPair = [string, string, number, number | null, number, boolean, boolean];

/**
 * Every (user, item) pair of an events version with the sum of its events' weights (by type, lower-cased)
 * and the time of its latest event, aggregated in PostgreSQL and ordered by first source line. With
 * `catalog`, items the catalogue does not list are left out.
 */
export const readWeightedPairs = async (
  pool: pg.Pool,
  source: {
    table: string;
    user: string;
    item: string;
    eventType: { name: string } | null;
    timestamp: { name: string; type: string } | null;
  },
  options: {
    eventWeights: TEventWeights;
    catalog?: { table: string; item: string } | null;
    excludeSeenTypes?: readonly string[];
  },
): Promise<TWeightedPair[]> => {
  const types = Object.keys(options.eventWeights).map((type) => type.toLowerCase());
  const weights = Object.values(options.eventWeights);
  const weight = source.eventType
    ? `COALESCE(w.weight, ${DEFAULT_EVENT_WEIGHT})`
    : `${DEFAULT_EVENT_WEIGHT}::float8`;
  const weightJoin = source.eventType
    ? `LEFT JOIN unnest($1::text[], $2::float8[]) AS w(type, weight) ON w.type = lower(e.${quoteIdent(source.eventType.name)}::text)`
    : "";
  const catalogFilter = options.catalog
    ? `AND EXISTS (SELECT 1 FROM ${qualifiedTable(options.catalog.table)} c WHERE c.${quoteIdent(options.catalog.item)}::text = e.${quoteIdent(source.item)}::text)`
    : "";
  // Without an event-type column every event counts as a purchase (a transaction or rating log).
  const excludeTypes = (options.excludeSeenTypes ?? ["purchase"]).map((type) => type.toLowerCase());
  const excludedExpression = source.eventType
    ? `lower(e.${quoteIdent(source.eventType.name)}::text) = ANY($3::text[])`
    : `${excludeTypes.includes(UNTYPED_EVENT_COUNTS_AS) ? "TRUE" : "FALSE"}`;
  const sql = `
    WITH weighted AS (
      SELECT e.${quoteIdent(source.user)}::text AS u, e.${quoteIdent(source.item)}::text AS i,
             ${weight} AS weight, ${timeExpression(source.timestamp)} AS t, e._line AS line,
             ${excludedExpression} AS excluded
      FROM ${qualifiedTable(source.table)} e ${weightJoin}
      WHERE e.${quoteIdent(source.user)} IS NOT NULL AND e.${quoteIdent(source.item)} IS NOT NULL ${catalogFilter}
    )
    SELECT u, i, SUM(weight)::float8 AS weight, MAX(t) AS t, COUNT(*)::int AS n, bool_and(t IS NOT NULL) AS timed,
           bool_or(excluded) AS excluded
    FROM weighted WHERE weight > 0
    GROUP BY u, i ORDER BY MIN(line)`;
  const result = await pool.query({
    text: sql,
    values: source.eventType ? [types, weights, excludeTypes] : [],
    rowMode: "array",
  });
  return result.rows as TWeightedPair[];
};
