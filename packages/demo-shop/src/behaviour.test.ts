import { beforeAll, describe, expect, it } from "vitest";
import { generateDemoShop } from "./generate.ts";
import { adjustedRandIndex, categoryProfiles, kMeans } from "./test-helpers.ts";
import type { DemoShop } from "./types.ts";

let shop: DemoShop;
beforeAll(() => {
  shop = generateDemoShop();
}, 60_000);

describe("funnel", () => {
  it("views > clicks > carts > purchases, and views dominate", () => {
    const count = (type: string) => shop.events.filter((e) => e.event_type === type).length;
    const [views, clicks, favourites, carts, purchases] = [
      "view",
      "click",
      "favourite",
      "cart",
      "purchase",
    ].map(count);
    expect(views).toBeGreaterThan(2 * (clicks ?? 0));
    expect(clicks).toBeGreaterThan(carts ?? 0);
    expect(clicks).toBeGreaterThan(favourites ?? 0);
    expect(carts).toBeGreaterThan(purchases ?? 0);
    expect(purchases).toBeGreaterThan(0);
  });

  it("most purchases follow a cart of the same item by the same user", () => {
    const carts = new Set<string>();
    let purchases = 0;
    let withCart = 0;
    for (const e of shop.events) {
      const key = `${e.user_id}|${e.item_id}`;
      if (e.event_type === "cart") carts.add(key);
      if (e.event_type === "purchase") {
        purchases++;
        if (carts.has(key)) withCart++;
      }
    }
    expect(withCart / purchases).toBeGreaterThan(0.75);
    expect(withCart / purchases).toBeLessThan(1);
  });

  it("quantity is set exactly on carts and purchases, price exactly on purchases", () => {
    // Collect violations and assert once: 200k expect() calls would dominate the runtime.
    const bad = shop.events.filter((e) => {
      const needsQty = e.event_type === "cart" || e.event_type === "purchase";
      const isPurchase = e.event_type === "purchase";
      return (e.quantity !== null) !== needsQty || (e.price !== null) !== isPurchase || (e.price ?? 1) <= 0;
    });
    expect(bad).toEqual([]);
  });
});

describe("time", () => {
  it("events are sorted by timestamp and inside the window", () => {
    const { start, end } = shop.truth.window;
    const unsorted = shop.events.filter(
      (e, i) => i > 0 && e.timestamp < (shop.events[i - 1]?.timestamp ?? ""),
    );
    expect(unsorted).toEqual([]);
    const previous = shop.events.at(-1)?.timestamp ?? "";
    expect((shop.events[0]?.timestamp ?? "") >= start).toBe(true);
    expect(previous < end).toBe(true);
    expect(previous).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("the planted promo day is the busiest day", () => {
    const perDay = Object.entries(shop.truth.eventsPerDay).sort((a, b) => b[1] - a[1]);
    expect(perDay[0]?.[0]).toBe(shop.truth.traffic.promoDay);
  });
});

describe("segments", () => {
  it("segments have distinct top categories", () => {
    const tops = shop.truth.segments.map((s) => s.topCategories[0]);
    expect(new Set(tops).size).toBe(tops.length);
    expect(Object.keys(shop.truth.userSegments)).toHaveLength(shop.users.length);
  });

  it("a large majority of users most often touch their segment's top category", () => {
    const { userIds, categories, rows } = categoryProfiles(shop);
    const hits = userIds.filter((u, i) => {
      const row = rows[i] ?? [];
      const top = categories[row.indexOf(Math.max(...row))];
      return top === shop.truth.segments[shop.truth.userSegments[u] ?? -1]?.topCategories[0];
    });
    expect(hits.length / userIds.length).toBeGreaterThan(0.85);
  });

  it("clustering behaviour profiles recovers the segments (ARI >= 0.8)", () => {
    const { userIds, rows } = categoryProfiles(shop);
    const labels = kMeans(rows, shop.truth.segments.length);
    const truth = userIds.map((u) => shop.truth.userSegments[u] ?? -1);
    expect(adjustedRandIndex(truth, labels)).toBeGreaterThanOrEqual(0.8);
  });

  it("the ARI helper is sane: 1 for a relabelling, ~0 for noise", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 4, 4])).toBeCloseTo(1);
    const noise = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 5);
    const other = Array.from({ length: 3000 }, (_, i) => Math.floor(i / 600));
    expect(Math.abs(adjustedRandIndex(noise, other))).toBeLessThan(0.05);
  });
});
