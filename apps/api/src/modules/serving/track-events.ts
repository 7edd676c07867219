// trackEvents: validate a batch event by event, store the valid ones in PostgreSQL (LiveEvent) and
// in each user's recent history in Redis, and answer only after both writes. The Redis list is
// what the next recommend reads; PostgreSQL keeps every event for later training. The two writes
// commit together: the rows are inserted in a transaction that commits only once Redis took the
// history, so a batch Redis refuses leaves no row behind and its retry is not stored twice.
import {
  EVENT_TYPES,
  isEventType,
  type TEventType,
  UNTYPED_EVENT_COUNTS_AS,
} from "@dam/vocabulary/event-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { SEARCH_ID } from "../features/search-analytics.ts";
import { insertLiveEvents } from "./serving.repository.ts";

// Event types as bits, for excludeSeenTypes. An event without a type (a transaction or rating log)
// counts as a purchase, as in training (training-data.ts); any other type has one shared bit.
const OTHER_TYPE_BIT = 1 << EVENT_TYPES.length;
export const ALL_EVENT_TYPES_MASK = (OTHER_TYPE_BIT << 1) - 1;

export const eventTypeMask = (type: string | null): number => {
  if (type === null) return 1 << EVENT_TYPES.indexOf(UNTYPED_EVENT_COUNTS_AS);
  const index = (EVENT_TYPES as readonly string[]).indexOf(type.toLowerCase());
  return index >= 0 ? 1 << index : OTHER_TYPE_BIT;
};

export const maskOfEventTypes = (types: readonly string[]): number =>
  types.reduce((mask, type) => mask | eventTypeMask(type), 0);

export const MAX_BATCH = 1_000;
const MAX_ID_LENGTH = 200;
const FUTURE_SLACK_MS = 5 * 60_000;
/** Recent events kept per user in Redis, and for how long after the last one. */
export const HISTORY_LENGTH = 200;
const HISTORY_TTL_SECONDS = 90 * 24 * 3600;

export type TTrackEventInput = {
  userId: string;
  itemId: string;
  type: string;
  ts?: Date | null;
  /** The recommend answer the event follows (experiment attribution). */
  recommendationId?: string | null;
  /** Order value of a purchase; the catalogue price when omitted. */
  value?: number | null;
  /** The search whose result the event came from (search.searchId), for click attribution. */
  searchId?: string | null;
};
export type TTrackEventError = { index: number; field: string; message: string };
export type TStoredEvent = {
  userId: string;
  itemId: string;
  type: TEventType;
  ts: Date;
  recommendationId?: string | null;
  value?: number | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const historyKey = (prefix: string, userId: string): string => `${prefix}:serving:events:${userId}`;

/** Splits a batch into valid events and per-event errors (index and field). */
export const validateEvents = (
  events: TTrackEventInput[],
  now: Date,
): { valid: TStoredEvent[]; errors: TTrackEventError[]; searchIds: string[] } => {
  const valid: TStoredEvent[] = [];
  const errors: TTrackEventError[] = [];
  const searchIds: string[] = [];
  events.forEach((event, index) => {
    const problems: TTrackEventError[] = [];
    for (const field of ["userId", "itemId"] as const) {
      const value = event[field].trim();
      if (value === "") problems.push({ index, field, message: `${field} is empty` });
      else if (value.length > MAX_ID_LENGTH)
        problems.push({ index, field, message: `${field} is longer than ${MAX_ID_LENGTH} characters` });
    }
    if (!isEventType(event.type)) {
      problems.push({
        index,
        field: "type",
        message: `type "${event.type}" is not one of ${EVENT_TYPES.join(", ")}`,
      });
    }
    const ts = event.ts ?? now;
    if (Number.isNaN(ts.getTime())) problems.push({ index, field: "ts", message: "ts is not a valid time" });
    else if (ts.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      problems.push({
        index,
        field: "ts",
        message: `ts ${ts.toISOString()} is more than 5 minutes in the future`,
      });
    }
    const recommendationId = event.recommendationId ?? null;
    if (recommendationId !== null && !UUID.test(recommendationId)) {
      problems.push({
        index,
        field: "recommendationId",
        message: "recommendationId is not a recommendation id (a UUID)",
      });
    }
    const value = event.value ?? null;
    if (value !== null && !(Number.isFinite(value) && value >= 0 && value <= 1e9)) {
      problems.push({ index, field: "value", message: `value ${value} is not an amount between 0 and 1e9` });
    }
    if (event.searchId != null && !SEARCH_ID.test(event.searchId)) {
      problems.push({ index, field: "searchId", message: "searchId is not the searchId of a search result" });
    }
    if (problems.length > 0) errors.push(...problems);
    else {
      valid.push({
        userId: event.userId.trim(),
        itemId: event.itemId.trim(),
        type: event.type as TEventType,
        ts,
        recommendationId: recommendationId?.toLowerCase() ?? null,
        value,
      });
      if (event.searchId != null) searchIds.push(event.searchId);
    }
  });
  return { valid, errors, searchIds };
};

// How long the history write may take before the batch is refused as unavailable (Redis paused or
// overloaded); a refused batch is rolled back in PostgreSQL, so the client's retry stores it once.
const HISTORY_WRITE_TIMEOUT_MS = 2_000;
/** What an unavailable answer tells the client to wait before retrying. */
export const EVENTS_RETRY_AFTER_SECONDS = 2;
// Transaction limits of a batch: it holds one connection for an insert and one Redis round trip.
const EVENTS_TRANSACTION = { maxWait: 5_000, timeout: 10_000 } as const;

class HistoryUnavailableError extends Error {}

/**
 * Writes valid events to PostgreSQL and to the users' Redis lists, both or neither: the insert commits
 * only after Redis took the history. Redis unreachable or too slow is SERVICE_UNAVAILABLE (retryable,
 * with Retry-After), and nothing of the batch is stored. (Should the commit itself fail after Redis took
 * the history, the recent-history list may hold the batch, never PostgreSQL.)
 */
export const storeEvents = async (
  deps: TDeps,
  events: TStoredEvent[],
  apiKeyId: string | null,
): Promise<void> => {
  if (events.length === 0) return;
  try {
    await insertLiveEvents(
      deps,
      events.map((e) => ({ userId: e.userId, itemId: e.itemId, type: e.type, ts: e.ts, apiKeyId })),
      { ...EVENTS_TRANSACTION, beforeCommit: () => writeHistory(deps, events) },
    );
  } catch (error) {
    if (!(error instanceof HistoryUnavailableError)) throw error;
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      `Events not stored: the recent-history store is unavailable (${error.message}); retry in ${EVENTS_RETRY_AFTER_SECONDS} s`,
      { field: "events", retryAfterSeconds: EVENTS_RETRY_AFTER_SECONDS },
    );
  }
};

/**
 * Pushes events to their users' recent-history lists, on the fail-fast connection: while Redis is away
 * the write fails at once rather than waiting in an offline queue to run after the batch was refused.
 */
const writeHistory = async (deps: TDeps, events: TStoredEvent[]): Promise<void> => {
  const ordered = [...events].sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const pipeline = deps.redisFailFast.multi();
  const users = new Set<string>();
  for (const event of ordered) {
    const key = historyKey(deps.env.DAM_QUEUE_PREFIX, event.userId);
    pipeline.lpush(
      key,
      JSON.stringify({ itemId: event.itemId, type: event.type, ts: event.ts.toISOString() }),
    );
    users.add(key);
  }
  for (const key of users) {
    pipeline.ltrim(key, 0, HISTORY_LENGTH - 1);
    pipeline.expire(key, HISTORY_TTL_SECONDS);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HistoryUnavailableError(`no answer within ${HISTORY_WRITE_TIMEOUT_MS} ms`)),
      HISTORY_WRITE_TIMEOUT_MS,
    );
  });
  try {
    const results = await Promise.race([
      pipeline.exec().catch((error: Error) => {
        throw new HistoryUnavailableError(error.message);
      }),
      timedOut,
    ]);
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new HistoryUnavailableError(failed?.[0]?.message ?? "transaction aborted");
  } finally {
    clearTimeout(timer);
  }
};

/** A user's recent events from Redis, newest first. */
export const readRecentEvents = async (
  deps: TDeps,
  userId: string,
  count = HISTORY_LENGTH,
): Promise<{ itemId: string; type: string; ts: Date }[]> => {
  const raw = await deps.redis.lrange(historyKey(deps.env.DAM_QUEUE_PREFIX, userId), 0, count - 1);
  return raw.map((line) => {
    const parsed = JSON.parse(line) as { itemId: string; type: string; ts: string };
    return { itemId: parsed.itemId, type: parsed.type, ts: new Date(parsed.ts) };
  });
};
