import { applyEventDirt } from "./dirt-events.ts";
import { applyProductDirt } from "./dirt-products.ts";
import { generateEvents } from "./events.ts";
import { DAY_MS, isoSeconds } from "./format.ts";
import { categoryCounts, DEFINITIONS, eventStats, segmentTruth } from "./ground-truth.ts";
import { buildItemSampler } from "./item-sampler.ts";
import { dirtCounts, resolveOptions } from "./options.ts";
import { rngFor } from "./prng.ts";
import { generateCatalog } from "./products.ts";
import { generateSegments } from "./segments.ts";
import { trafficProfile } from "./traffic.ts";
import type { DemoShop, DemoShopOptions, GroundTruth } from "./types.ts";
import { generateUsers } from "./users.ts";

export { DEFAULT_DIRT, DEFAULT_OPTIONS, resolveOptions } from "./options.ts";

/**
 * Pure and deterministic: the same options give byte-identical output. Each stage draws from
 * its own seeded stream, so e.g. changing `events` leaves the catalogue and users unchanged.
 */
export function generateDemoShop(options: DemoShopOptions = {}): DemoShop {
  const opts = resolveOptions(options);
  const counts = dirtCounts(opts);
  const windowEndMs = Math.floor(Date.parse(opts.endDate) / 1000) * 1000;
  const windowStartMs = windowEndMs - opts.days * DAY_MS;

  const catalog = generateCatalog(rngFor(opts.seed, "catalog"), opts.products, windowStartMs);
  const segments = generateSegments(rngFor(opts.seed, "segments"), opts.segments);
  const shoppers = generateUsers(rngFor(opts.seed, "users"), opts.users, segments, windowStartMs);
  const traffic = trafficProfile(opts.days, windowStartMs);
  const cleanEvents = generateEvents(rngFor(opts.seed, "events"), {
    catalog,
    shoppers,
    sampler: buildItemSampler(catalog, segments),
    traffic,
    total: opts.events,
    windowStartMs,
    windowEndMs,
  });

  const products = applyProductDirt(rngFor(opts.seed, "product-dirt"), catalog, counts);
  const events = applyEventDirt(rngFor(opts.seed, "event-dirt"), cleanEvents, counts, opts.products);
  const stats = eventStats(events.rows, windowStartMs, opts.days);

  const truth: GroundTruth = {
    generator: "@dam/demo-shop",
    version: 1,
    seed: opts.seed,
    options: opts,
    window: { start: isoSeconds(windowStartMs), end: isoSeconds(windowEndMs) },
    counts: {
      productRows: products.rows.length,
      uniqueProducts: catalog.length,
      users: shoppers.length,
      eventRows: events.rows.length,
      uniqueEvents: cleanEvents.length,
    },
    categories: categoryCounts(catalog.map((c) => c.categoryIndex)),
    segments: segmentTruth(segments, shoppers),
    userSegments: Object.fromEntries(shoppers.map((s) => [s.row.user_id, s.segment.index])),
    dirt: { products: products.truth, events: events.truth },
    eventTypeCounts: stats.eventTypeCounts,
    eventsPerDay: stats.eventsPerDay,
    funnel: stats.funnel,
    traffic: {
      weekendMultiplier: traffic.weekendMultiplier,
      growthOverWindow: traffic.growthOverWindow,
      promoDay: traffic.promoDay,
      promoMultiplier: traffic.promoMultiplier,
    },
    definitions: DEFINITIONS,
  };
  return { products: products.rows, users: shoppers.map((s) => s.row), events: events.rows, truth };
}
