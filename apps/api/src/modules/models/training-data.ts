import { qualifiedTable } from "@dam/db/data-plane";
import { buildInteractionLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { UNTYPED_EVENT_COUNTS_AS } from "@dam/vocabulary/event-types";
import { DEFAULT_EVENT_WEIGHT, type TEventWeights } from "@dam/vocabulary/event-weights";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TDeps } from "../../deps.ts";
import {
  checkUsableVersion,
  type TUsableVersionFail,
  ZUsableColumn,
} from "../datasets/usable-version.service.ts";

/** The columns of an events version that training reads, found by their roles. */
export type TEventsSource = {
  versionId: string;
  label: string;
  table: string;
  user: string;
  item: string;
  eventType: { name: string } | null;
  timestamp: { name: string; type: string } | null;
  qualityScore: number | null;
};

export type TEventsSourceResult = { ok: true; source: TEventsSource } | TUsableVersionFail;

export const readEventsSource = async (deps: TDeps, versionId: string): Promise<TEventsSourceResult> => {
  // The gate: READY, userId and itemId roles, quality passed or overridden. Training checks it when
  // the request arrives and again in the job, since the gate may have closed in between.
  const read = await checkUsableVersion(deps, versionId, {
    column: ZUsableColumn,
    roles: ["userId", "itemId"],
    field: "eventsVersionId",
  });
  if (!read.ok) return read;
  const { version, label, byRole } = read;
  const user = byRole("userId")!;
  const item = byRole("itemId")!;
  const eventType = byRole("eventType");
  const timestamp = byRole("timestamp");
  return {
    ok: true,
    source: {
      versionId,
      label,
      table: version.tableName,
      user: user.name,
      item: item.name,
      eventType: eventType ? { name: eventType.name } : null,
      timestamp: timestamp ? { name: timestamp.name, type: timestamp.type } : null,
      qualityScore: version.qualityScore,
    },
  };
};

/** Seconds since the epoch from whatever type the timestamp column was loaded as; null when unusable. */
const timeExpression = (column: { name: string; type: string } | null): string => {
  if (!column) return "NULL::float8";
  const ref = `e.${quoteIdent(column.name)}`;
  if (column.type === "timestamp") return `extract(epoch from ${ref})::float8`;
  if (column.type === "integer" || column.type === "decimal") return `${ref}::float8`;
  return "NULL::float8";
};

export type TTrainingData = {
  log: TInteractionLog;
  /** Events read (rows with both ids and a positive weight), before aggregation to user-item pairs. */
  events: number;
  /** Whether every pair has a time (needed by the chronological protocols). */
  timed: boolean;
  /** Per log entry (pair): 1 when one of its events has a type in `excludeSeenTypes` (then never ranked for the user). */
  excluded: Uint8Array;
};

/**
 * One interaction per (user, item): the sum of its events' weights (by type, lower-cased) and the time
 * of its latest event. Aggregation runs in PostgreSQL; only the pairs come to Node. Pairs are ordered
 * by their first source line, so the same version always gives the same internal ids. With
 * `catalogTable`, items the catalogue does not list are dropped (events on unknown products).
 */
export const readTrainingData = async (
  deps: TDeps,
  source: TEventsSource,
  options: {
    eventWeights: TEventWeights;
    catalog?: { table: string; item: string } | null;
    excludeSeenTypes?: readonly string[];
  },
): Promise<TTrainingData> => {
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
  const result = await deps.pool.query({
    text: sql,
    values: source.eventType ? [types, weights, excludeTypes] : [],
    rowMode: "array",
  });
  let events = 0;
  let timed = true;
  const rows = result.rows as [string, string, number, number | null, number, boolean, boolean][];
  const excluded = new Uint8Array(rows.length);
  rows.forEach((row, index) => {
    excluded[index] = row[6] ? 1 : 0;
  });
  const log = buildInteractionLog(
    (function* () {
      for (const [user, item, w, t, n, pairTimed] of rows) {
        events += n;
        if (!pairTimed || t === null) timed = false;
        yield { user, item, weight: w, timestamp: t ?? 0 };
      }
    })(),
  );
  return { log, events, timed: timed && rows.length > 0, excluded };
};
