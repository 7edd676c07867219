import { LINE_COLUMN, qualifiedTable } from "@dam/db/data-plane";
import type { TEventWeights } from "@dam/vocabulary/event-weights";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";
import type { TCatalogColumns, TEventsSource } from "./profile-source.ts";

/*
 * Every aggregate of a profile run is computed in PostgreSQL over the version tables; only per-user
 * (and per user x item) aggregates come back to Node. One CTE `e` normalises the events: text ids,
 * lower-case event type (purchase when the version has no event type column, i.e. transactions),
 * quantity, the price paid (the event's price, else the catalogue's), the item's category and price
 * band. Price bands are the catalogue's price terciles: budget < p33 <= mid < p67 <= premium.
 */

export const PRICE_BANDS = ["budget", "mid", "premium"] as const;

const eventsCte = (events: TEventsSource, catalog: TCatalogColumns | null): string => {
  const q = quoteIdent;
  const col = (name: string | null, cast: string, fallback: string) =>
    name ? `ev.${q(name)}::${cast}` : fallback;
  const cat = catalog
    ? `cat AS (
         SELECT DISTINCT ON (${q(catalog.itemColumn)}::text) ${q(catalog.itemColumn)}::text AS item_id,
           ${catalog.categoryColumn ? `nullif(trim(${q(catalog.categoryColumn)}::text), '')` : "NULL::text"} AS category,
           ${catalog.priceColumn ? `${q(catalog.priceColumn)}::float8` : "NULL::float8"} AS price
         FROM ${qualifiedTable(catalog.table)} WHERE ${q(catalog.itemColumn)} IS NOT NULL
         ORDER BY ${q(catalog.itemColumn)}::text, ${q(LINE_COLUMN)}
       )`
    : "cat AS (SELECT NULL::text AS item_id, NULL::text AS category, NULL::float8 AS price WHERE false)";
  return `WITH ${cat},
    cuts AS (
      SELECT percentile_cont(ARRAY[1/3.0, 2/3.0]) WITHIN GROUP (ORDER BY price) AS cut FROM cat WHERE price > 0
    ),
    e AS (
      SELECT ev.${q(events.userColumn)}::text AS user_id,
        ev.${q(events.itemColumn)}::text AS item_id,
        ${col(events.eventTypeColumn, "text", "'purchase'")} AS raw_type,
        ev.${q(events.timestampColumn)} AS ts,
        coalesce(${col(events.quantityColumn, "float8", "NULL::float8")}, 1) AS qty,
        coalesce(${col(events.priceColumn, "float8", "NULL::float8")}, cat.price) AS paid,
        ${col(events.sessionColumn, "text", "NULL::text")} AS session,
        cat.category,
        CASE WHEN cat.price IS NULL OR cat.price <= 0 OR cuts.cut IS NULL THEN NULL
             WHEN cat.price < cuts.cut[1] THEN 'budget'
             WHEN cat.price < cuts.cut[2] THEN 'mid' ELSE 'premium' END AS band
      FROM ${qualifiedTable(events.table)} ev
      LEFT JOIN cat ON cat.item_id = ev.${q(events.itemColumn)}::text
      CROSS JOIN cuts
      WHERE ev.${q(events.userColumn)} IS NOT NULL AND ev.${q(events.itemColumn)} IS NOT NULL
        AND ev.${q(events.timestampColumn)} IS NOT NULL
    ),
    ew AS (
      SELECT e.*, lower(trim(raw_type)) AS event_type,
        coalesce(($1::jsonb ->> lower(trim(raw_type)))::float8, $2::float8) AS w
      FROM e
    )`;
};

export type TProfileQueries = {
  events: TEventsSource;
  catalog: TCatalogColumns | null;
  /** Weight per event type (lower case); types not listed get `defaultWeight`. */
  weights: TEventWeights;
  defaultWeight: number;
};

const params = (input: TProfileQueries) => [JSON.stringify(input.weights), input.defaultWeight];

export type TUserStatsRow = {
  user_id: string;
  events: string;
  last_ts: Date;
  orders: string;
  purchases: string;
  monetary: number | null;
};

/**
 * Per user: event count, last event, orders (distinct sessions with a purchase of a positive quantity:
 * a cancellation is no order), purchases, money spent (returns, negative quantities, net out).
 */
export const queryUserStats = async (pool: pg.Pool, input: TProfileQueries) => {
  const result = await pool.query<TUserStatsRow & { as_of: Date }>(
    `${eventsCte(input.events, input.catalog)}
     SELECT user_id, count(*)::text AS events, max(ts) AS last_ts,
       count(DISTINCT coalesce(session, ts::text)) FILTER (WHERE event_type = 'purchase' AND qty > 0)::text AS orders,
       count(*) FILTER (WHERE event_type = 'purchase')::text AS purchases,
       sum(qty * paid) FILTER (WHERE event_type = 'purchase') AS monetary,
       max(max(ts)) OVER () AS as_of
     FROM ew GROUP BY user_id ORDER BY user_id`,
    params(input),
  );
  return result.rows;
};

export type TUserCountRow = { user_id: string; key: string | null; n: string; weight: number };

/** Per user and value of one dimension (event type, category or band): event count and weighted sum. */
export const queryUserBreakdown = async (
  pool: pg.Pool,
  input: TProfileQueries,
  by: "event_type" | "category" | "band",
) => {
  const result = await pool.query<TUserCountRow>(
    `${eventsCte(input.events, input.catalog)}
     SELECT user_id, ${by} AS key, count(*)::text AS n, sum(w) AS weight
     FROM ew GROUP BY user_id, ${by} ORDER BY user_id, ${by}`,
    params(input),
  );
  return result.rows;
};

export type TUserItemRow = { user_id: string; item_id: string; weight: number };

/**
 * Per user and item: sum of event weight x 2^(-age / half-life), age measured back from `asOf` (the
 * version's last event, so a profile of an old version does not decay to nothing).
 */
export const queryUserItemWeights = async (
  pool: pg.Pool,
  input: TProfileQueries & { asOf: Date; halfLifeDays: number },
) => {
  const result = await pool.query<TUserItemRow>(
    `${eventsCte(input.events, input.catalog)}
     SELECT user_id, item_id,
       sum(w * power(2.0, -extract(epoch FROM ($3::timestamptz - ts)) / ($4::float8 * 86400))) AS weight
     FROM ew WHERE w > 0 GROUP BY user_id, item_id ORDER BY user_id, item_id`,
    [...params(input), input.asOf, input.halfLifeDays],
  );
  return result.rows;
};
