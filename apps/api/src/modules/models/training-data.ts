import { buildInteractionLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import type { TEventWeights } from "@dam/vocabulary/event-weights";
import type { TDeps } from "../../deps.ts";
import {
  checkUsableVersion,
  type TUsableVersionFail,
  ZUsableColumn,
} from "../datasets/usable-version.service.ts";
import { readWeightedPairs } from "./training-data.repository.ts";

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
  const rows = await readWeightedPairs(deps.pool, source, options);
  let events = 0;
  let timed = true;
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
