import { CATEGORIES } from "./catalog/index.ts";
import { DAY_MS, isoDate } from "./format.ts";
import type { Segment } from "./segments.ts";
import { EVENT_TYPES, type EventRow, type EventType, type SegmentTruth } from "./types.ts";
import type { Shopper } from "./users.ts";

export const DEFINITIONS: Record<string, string> = {
  "counts.productRows": "Rows in products.csv (excluding the header), duplicate rows included.",
  "counts.uniqueProducts":
    "Distinct item_ids in products.csv; productRows = uniqueProducts + dirt.products.duplicateRows.count.",
  "counts.eventRows": "Rows in events.csv (excluding the header), duplicate rows included.",
  "counts.uniqueEvents":
    "Distinct event_ids in events.csv; eventRows = uniqueEvents + dirt.events.duplicateRows.count.",
  "dirt.*.duplicateRows":
    "Number of EXTRA rows that are byte-identical copies of an earlier row. Each listed id appears exactly twice; the copy comes after the original (events: immediately after).",
  "dirt.products.missingTitle": "Unique products whose title is empty (null).",
  "dirt.products.missingDescription": "Unique products whose description is empty (null).",
  "dirt.products.missingPrice": "Unique products whose price is empty (null).",
  "dirt.products.priceOutliers":
    "Unique products whose catalogue price is normalPrice x factor (factor 100..1000). Purchase events still carry the normal price.",
  "dirt.events.unknownItem":
    "Events whose item_id does not exist in products.csv (ids above the highest real id). unknownItemIds lists the distinct ids used.",
  "dirt.events.missingUser": "Events whose user_id is empty (null).",
  disjointness:
    "Dirt sets never overlap: a product is in at most one product-dirt set and an event in at most one event-dirt set. Duplicated rows are otherwise clean.",
  eventTypeCounts: "Per event_type count over all rows of events.csv, duplicates included.",
  eventsPerDay:
    "Rows of events.csv per UTC date of timestamp, duplicates included; every day of the window is listed.",
  funnel:
    "Over unique events with a user_id: purchases, and purchases preceded (earlier timestamp order) by a cart of the same item by the same user.",
  userSegments: "user_id -> index into segments; the planted taste the user's behaviour was drawn from.",
};

export function segmentTruth(segments: Segment[], shoppers: Shopper[]): SegmentTruth[] {
  const sizes = segments.map(() => 0);
  for (const s of shoppers) sizes[s.segment.index] = (sizes[s.segment.index] ?? 0) + 1;
  return segments.map((s) => ({
    index: s.index,
    name: s.name,
    topCategories: s.topCategories.map((c) => CATEGORIES[c]?.name ?? "?"),
    categoryWeights: Object.fromEntries(
      s.categoryWeights.map((w, c) => [CATEGORIES[c]?.name ?? "?", Math.round(w * 1e4) / 1e4]),
    ),
    priceBand: s.priceBand,
    activity: s.activity,
    timeOfDay: s.timeOfDay,
    peakHour: s.peakHour,
    userCount: sizes[s.index] ?? 0,
  }));
}

export function eventStats(rows: EventRow[], windowStartMs: number, days: number) {
  const eventTypeCounts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
  const eventsPerDay: Record<string, number> = {};
  for (let d = 0; d < days; d++) eventsPerDay[isoDate(windowStartMs + d * DAY_MS)] = 0;
  const seen = new Set<string>();
  const carts = new Set<string>();
  let purchases = 0;
  let purchasesWithPriorCart = 0;
  let day = "\0";
  for (const e of rows) {
    eventTypeCounts[e.event_type]++;
    // Rows are time-sorted, so the date string only needs slicing when the day changes.
    if (!e.timestamp.startsWith(day)) day = e.timestamp.slice(0, 10);
    eventsPerDay[day] = (eventsPerDay[day] ?? 0) + 1;
    // Only carts and purchases matter for the funnel; skipping the rest keeps this cheap.
    if (e.user_id === null || (e.event_type !== "cart" && e.event_type !== "purchase")) continue;
    if (seen.has(e.event_id)) continue;
    seen.add(e.event_id);
    const key = `${e.user_id}|${e.item_id}`;
    if (e.event_type === "cart") carts.add(key);
    if (e.event_type === "purchase") {
      purchases++;
      if (carts.has(key)) purchasesWithPriorCart++;
    }
  }
  return { eventTypeCounts, eventsPerDay, funnel: { purchases, purchasesWithPriorCart } };
}

export function categoryCounts(categoryIndices: number[]) {
  const counts = CATEGORIES.map(() => 0);
  for (const c of categoryIndices) counts[c] = (counts[c] ?? 0) + 1;
  return CATEGORIES.map((c, i) => ({ name: c.name, productCount: counts[i] ?? 0 }));
}
