// The behaviour events the platform knows: what the tracking API accepts, what excludeSeenTypes may
// name, what experiments count as conversions and audiences rank by. Order is the funnel, from the
// weakest signal of interest to the strongest.

export const EVENT_TYPES = ["view", "click", "favourite", "cart", "purchase"] as const;
export type TEventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is TEventType =>
  (EVENT_TYPES as readonly string[]).includes(value);

/**
 * The event type an event without one counts as: a log with no type column is a transaction or
 * rating log, so each row is a purchase (training excludes those items as seen, serving too).
 */
export const UNTYPED_EVENT_COUNTS_AS: TEventType = "purchase";

/** The event types at or past `type` in the funnel: `eventTypesFrom("cart")` is cart and purchase. */
export const eventTypesFrom = (type: TEventType): TEventType[] =>
  EVENT_TYPES.slice(EVENT_TYPES.indexOf(type));
