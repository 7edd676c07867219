import { CATEGORIES } from "./catalog/index.ts";
import type { DemoShopOptions, DirtRates, ResolvedOptions } from "./types.ts";

// Default rates are chosen so that the default sizes give round planted counts
// (50, 20, 40, 25, 15 product rows; 500, 300, 200 event rows).
export const DEFAULT_DIRT: DirtRates = {
  productDuplicates: 0.01,
  missingTitles: 0.004,
  missingDescriptions: 0.008,
  missingPrices: 0.005,
  priceOutliers: 0.003,
  eventDuplicates: 0.0025,
  unknownItemEvents: 0.0015,
  missingUserEvents: 0.001,
};

export const DEFAULT_OPTIONS: ResolvedOptions = {
  seed: 42,
  products: 5000,
  users: 2000,
  events: 200_000,
  days: 90,
  segments: 6,
  // Fixed rather than "now" so the default output never changes between runs.
  endDate: "2026-11-01T00:00:00Z",
  dirt: DEFAULT_DIRT,
};

/** Ids are zero-padded to 6 digits; unknown ids are drawn above `products`, so leave headroom. */
const MAX_PRODUCTS = 400_000;

function assertInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`demo-shop option ${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

export function resolveOptions(options: DemoShopOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...DEFAULT_OPTIONS,
    ...options,
    dirt: { ...DEFAULT_DIRT, ...options.dirt },
  };
  assertInt("seed", resolved.seed, 0, 0xffffffff);
  assertInt("products", resolved.products, 1, MAX_PRODUCTS);
  assertInt("users", resolved.users, 1, 999_999);
  // 10M keeps the packed sort key in event-buffer.ts exact.
  assertInt("events", resolved.events, 1, 10_000_000);
  assertInt("days", resolved.days, 1, 3650);
  // One distinct top category per segment keeps segments recoverable from behaviour.
  assertInt("segments", resolved.segments, 1, CATEGORIES.length);
  if (Number.isNaN(Date.parse(resolved.endDate))) {
    throw new RangeError(`demo-shop option endDate is not a date: ${resolved.endDate}`);
  }
  for (const [key, rate] of Object.entries(resolved.dirt)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`demo-shop dirt rate ${key} must be in [0, 1]`);
  }
  return resolved;
}

export type DirtCounts = { [K in keyof DirtRates]: number };

/** Exact planted counts. Dirt sets are disjoint, so they must fit in the clean rows together. */
export function dirtCounts(options: ResolvedOptions): DirtCounts {
  const d = options.dirt;
  const p = (rate: number) => Math.round(rate * options.products);
  const e = (rate: number) => Math.round(rate * options.events);
  const counts: DirtCounts = {
    productDuplicates: p(d.productDuplicates),
    missingTitles: p(d.missingTitles),
    missingDescriptions: p(d.missingDescriptions),
    missingPrices: p(d.missingPrices),
    priceOutliers: p(d.priceOutliers),
    eventDuplicates: e(d.eventDuplicates),
    unknownItemEvents: e(d.unknownItemEvents),
    missingUserEvents: e(d.missingUserEvents),
  };
  const productDirt =
    counts.productDuplicates +
    counts.missingTitles +
    counts.missingDescriptions +
    counts.missingPrices +
    counts.priceOutliers;
  if (productDirt > options.products) {
    throw new RangeError(`product dirt (${productDirt} rows) exceeds products (${options.products})`);
  }
  const eventDirt = counts.eventDuplicates + counts.unknownItemEvents + counts.missingUserEvents;
  if (eventDirt > options.events) {
    throw new RangeError(`event dirt (${eventDirt} rows) exceeds events (${options.events})`);
  }
  return counts;
}
