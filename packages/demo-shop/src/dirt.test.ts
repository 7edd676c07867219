import { beforeAll, describe, expect, it } from "vitest";
import { generateDemoShop } from "./generate.ts";
import type { DemoShop, EventRow, ProductRow } from "./types.ts";

// Everything here is recounted from the rows alone and only then compared with the ground truth.

let shop: DemoShop;
beforeAll(() => {
  shop = generateDemoShop();
}, 60_000);

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Rows identical to an earlier row, and the ids of those repeated rows. */
function exactDuplicates<T>(rows: T[], idOf: (row: T) => string) {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const row of rows) {
    const key = JSON.stringify(row);
    if (seen.has(key)) ids.push(idOf(row));
    seen.add(key);
  }
  return ids;
}

function uniqueProducts(rows: ProductRow[]): ProductRow[] {
  const byId = new Map(rows.map((r) => [r.item_id, r]));
  return [...byId.values()];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

describe("product dirt", () => {
  it("duplicate rows are exact copies of earlier rows, as many as recorded", () => {
    const dups = exactDuplicates(shop.products, (r) => r.item_id);
    expect(dups).toHaveLength(shop.truth.dirt.products.duplicateRows.count);
    expect(sorted(dups)).toEqual(shop.truth.dirt.products.duplicateRows.ids);
    // No id repeats with different content: the only repeats are the exact copies.
    expect(new Set(shop.products.map((p) => p.item_id)).size).toBe(shop.products.length - dups.length);
  });

  it("missing titles, descriptions and prices match the truth exactly", () => {
    const products = uniqueProducts(shop.products);
    const truth = shop.truth.dirt.products;
    const idsWhere = (pred: (p: ProductRow) => boolean) =>
      sorted(products.filter(pred).map((p) => p.item_id));
    expect(idsWhere((p) => p.title === null)).toEqual(truth.missingTitle.ids);
    expect(idsWhere((p) => p.description === null)).toEqual(truth.missingDescription.ids);
    expect(idsWhere((p) => p.price === null)).toEqual(truth.missingPrice.ids);
    expect(truth.missingTitle.ids).toHaveLength(truth.missingTitle.count);
    expect(truth.missingDescription.ids).toHaveLength(truth.missingDescription.count);
    expect(truth.missingPrice.ids).toHaveLength(truth.missingPrice.count);
  });

  it("price outliers are exactly the prices far above their product type's median", () => {
    const products = uniqueProducts(shop.products);
    const pricesByType = new Map<string, number[]>();
    for (const p of products) {
      if (p.price !== null)
        pricesByType.set(p.subcategory, [...(pricesByType.get(p.subcategory) ?? []), p.price]);
    }
    const medians = new Map([...pricesByType].map(([t, xs]) => [t, median(xs)]));
    const outliers = products.filter(
      (p) => p.price !== null && p.price > 15 * (medians.get(p.subcategory) ?? 0),
    );
    const truth = shop.truth.dirt.products.priceOutliers;
    expect(sorted(outliers.map((p) => p.item_id))).toEqual(truth.ids);
    expect(truth.count).toBe(outliers.length);
    for (const d of truth.details) {
      expect(d.factor).toBeGreaterThanOrEqual(100);
      expect(d.factor).toBeLessThanOrEqual(1000);
      expect(d.price / d.normalPrice).toBeCloseTo(d.factor, 1);
    }
  });

  it("dirt sets are disjoint", () => {
    const d = shop.truth.dirt.products;
    const all = [
      d.duplicateRows,
      d.missingTitle,
      d.missingDescription,
      d.missingPrice,
      d.priceOutliers,
    ].flatMap((s) => s.ids);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("event dirt", () => {
  it("duplicate rows are exact copies of earlier rows, as many as recorded", () => {
    const dups = exactDuplicates(shop.events, (e) => e.event_id);
    expect(dups).toHaveLength(shop.truth.dirt.events.duplicateRows.count);
    expect(sorted(dups)).toEqual(shop.truth.dirt.events.duplicateRows.ids);
    expect(new Set(shop.events.map((e) => e.event_id)).size).toBe(shop.truth.counts.uniqueEvents);
  });

  it("unknown item ids and missing user ids match the truth exactly", () => {
    const itemIds = new Set(shop.products.map((p) => p.item_id));
    const unique = [...new Map(shop.events.map((e) => [e.event_id, e])).values()];
    const unknown = unique.filter((e) => !itemIds.has(e.item_id));
    const noUser = unique.filter((e) => e.user_id === null);
    const truth = shop.truth.dirt.events;
    expect(sorted(unknown.map((e) => e.event_id))).toEqual(truth.unknownItem.ids);
    expect(truth.unknownItem.count).toBe(unknown.length);
    expect(sorted(new Set(unknown.map((e) => e.item_id)))).toEqual(truth.unknownItem.unknownItemIds);
    expect(sorted(noUser.map((e) => e.event_id))).toEqual(truth.missingUser.ids);
    expect(truth.missingUser.count).toBe(noUser.length);
    const all = [truth.duplicateRows, truth.unknownItem, truth.missingUser].flatMap((s) => s.ids);
    expect(new Set(all).size).toBe(all.length);
  });

  it("every non-null user_id exists", () => {
    const userIds = new Set(shop.users.map((u) => u.user_id));
    expect(shop.events.every((e: EventRow) => e.user_id === null || userIds.has(e.user_id))).toBe(true);
  });

  it("per-type and per-day counts match a recount over all rows", () => {
    const byType: Record<string, number> = {};
    const byDay: Record<string, number> = {};
    for (const e of shop.events) {
      byType[e.event_type] = (byType[e.event_type] ?? 0) + 1;
      byDay[e.timestamp.slice(0, 10)] = (byDay[e.timestamp.slice(0, 10)] ?? 0) + 1;
    }
    expect(shop.truth.eventTypeCounts).toEqual(byType);
    expect(Object.fromEntries(Object.entries(shop.truth.eventsPerDay).filter(([, n]) => n > 0))).toEqual(
      byDay,
    );
  });
});
