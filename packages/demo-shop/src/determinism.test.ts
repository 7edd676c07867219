import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS, generateDemoShop } from "./generate.ts";
import type { DemoShop, DemoShopOptions } from "./types.ts";

const SMALL: DemoShopOptions = { products: 800, users: 200, events: 15_000, days: 30 };

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");
const hashShop = (shop: DemoShop) => hash([shop.products, shop.users, shop.events, shop.truth]);

describe("determinism", () => {
  it("same seed gives byte-identical output (default sizes)", () => {
    const a = hashShop(generateDemoShop());
    const b = hashShop(generateDemoShop({ seed: 42 }));
    expect(a).toBe(b);
    // Two full shops: seconds on a quiet machine, over a minute when turbo runs every package's tests.
  }, 240_000);

  it("different seeds give different products, users and events", () => {
    const a = generateDemoShop({ ...SMALL, seed: 1 });
    const b = generateDemoShop({ ...SMALL, seed: 2 });
    expect(hash(a.products)).not.toBe(hash(b.products));
    expect(hash(a.users)).not.toBe(hash(b.users));
    expect(hash(a.events)).not.toBe(hash(b.events));
    expect(hash(a.truth.userSegments)).not.toBe(hash(b.truth.userSegments));
  });

  it("stages use independent streams: changing the event count leaves catalogue and users alone", () => {
    const a = generateDemoShop({ ...SMALL, seed: 5 });
    const b = generateDemoShop({ ...SMALL, seed: 5, events: 9_000 });
    expect(hash(a.products)).toBe(hash(b.products));
    expect(hash(a.users)).toBe(hash(b.users));
    expect(hash(a.events)).not.toBe(hash(b.events));
  });
});

describe("sizes", () => {
  it("matches the options (unique counts) plus planted duplicates (row counts)", () => {
    const opts = { products: 800, users: 200, events: 15_000, days: 30, seed: 9 };
    const shop = generateDemoShop(opts);
    const dup = shop.truth.dirt;
    expect(new Set(shop.products.map((p) => p.item_id)).size).toBe(opts.products);
    expect(shop.products).toHaveLength(opts.products + dup.products.duplicateRows.count);
    expect(shop.users).toHaveLength(opts.users);
    expect(new Set(shop.events.map((e) => e.event_id)).size).toBe(opts.events);
    expect(shop.events).toHaveLength(opts.events + dup.events.duplicateRows.count);
    expect(shop.truth.counts).toEqual({
      productRows: shop.products.length,
      uniqueProducts: opts.products,
      users: opts.users,
      eventRows: shop.events.length,
      uniqueEvents: opts.events,
    });
    expect(shop.truth.segments).toHaveLength(DEFAULT_OPTIONS.segments);
    expect(Object.keys(shop.truth.eventsPerDay)).toHaveLength(opts.days);
  });

  it("default options give the documented sizes and round dirt counts", () => {
    const { truth } = generateDemoShop();
    expect(truth.options).toEqual(DEFAULT_OPTIONS);
    expect(truth.counts).toEqual({
      productRows: 5050,
      uniqueProducts: 5000,
      users: 2000,
      eventRows: 200_500,
      uniqueEvents: 200_000,
    });
    const d = truth.dirt;
    expect([
      d.products.duplicateRows.count,
      d.products.missingTitle.count,
      d.products.missingDescription.count,
      d.products.missingPrice.count,
      d.products.priceOutliers.count,
      d.events.duplicateRows.count,
      d.events.unknownItem.count,
      d.events.missingUser.count,
    ]).toEqual([50, 20, 40, 25, 15, 500, 300, 200]);
    expect(truth.window).toEqual({ start: "2026-08-03T00:00:00Z", end: "2026-11-01T00:00:00Z" });
  }, 60_000);

  it("rejects options that cannot be honoured exactly", () => {
    expect(() => generateDemoShop({ products: 0 })).toThrow(RangeError);
    expect(() => generateDemoShop({ segments: 50 })).toThrow(RangeError);
    expect(() =>
      generateDemoShop({ products: 10, dirt: { missingTitles: 0.9, missingPrices: 0.9 } }),
    ).toThrow(RangeError);
  });
});
