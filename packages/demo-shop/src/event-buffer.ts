import { EVENT_TYPES, type EventType } from "./types.ts";

// Struct-of-arrays storage for raw events. 200k small objects plus a comparator sort cost
// several seconds in GC and property lookups; typed arrays and a native numeric sort do not.

export const TYPE_CODE: Record<EventType, number> = Object.fromEntries(
  EVENT_TYPES.map((t, i) => [t, i]),
) as Record<EventType, number>;

/** Up to 30 views x (view, click, favourite, cart/buy-now) + 30 checkouts = 150 events. */
const SESSION_CAPACITY = 256;

export type SessionScratch = {
  length: number;
  item: Uint32Array;
  type: Uint8Array;
  /** Seconds after session start. */
  offset: Float64Array;
  /** 0 = no quantity. */
  qty: Uint8Array;
};

export function sessionScratch(): SessionScratch {
  return {
    length: 0,
    item: new Uint32Array(SESSION_CAPACITY),
    type: new Uint8Array(SESSION_CAPACITY),
    offset: new Float64Array(SESSION_CAPACITY),
    qty: new Uint8Array(SESSION_CAPACITY),
  };
}

export type EventBuffer = {
  length: number;
  /** Seconds since window start. */
  t: Float64Array;
  user: Uint32Array;
  item: Uint32Array;
  type: Uint8Array;
  session: Uint32Array;
  qty: Uint8Array;
};

export function eventBuffer(capacity: number): EventBuffer {
  return {
    length: 0,
    t: new Float64Array(capacity),
    user: new Uint32Array(capacity),
    item: new Uint32Array(capacity),
    type: new Uint8Array(capacity),
    session: new Uint32Array(capacity),
    qty: new Uint8Array(capacity),
  };
}

/** Largest event count whose (time, generation index) key still fits exactly in a float64. */
export const MAX_EVENTS = 2 ** 24;

/**
 * Generation indices in timestamp order, ties kept in generation order (a stable sort).
 * Packing time * 2^24 + index into one float64 lets Float64Array#sort do it natively;
 * 10 years of seconds (< 2^29) times 2^24 stays below 2^53.
 */
export function timeOrder(buf: EventBuffer): Uint32Array {
  const keys = new Float64Array(buf.length);
  for (let i = 0; i < buf.length; i++) keys[i] = (buf.t[i] as number) * MAX_EVENTS + i;
  keys.sort();
  const order = new Uint32Array(buf.length);
  for (let i = 0; i < keys.length; i++) order[i] = (keys[i] as number) % MAX_EVENTS;
  return order;
}
