// Personalisation on the demo shop: shoppers of a planted segment (the generator's ground truth)
// see their segment's categories move up, and a bounded weight cannot bury an exact title match.
import { generateDemoShop } from "@dam/demo-shop/generate";
import { MAX_PERSONAL_WEIGHT } from "@dam/search/personalization";
import { buildSearchIndex } from "@dam/search/search-index";
import { searchIndex } from "@dam/search/search-query";
import type { TSearchDocument } from "@dam/search/search-types";
import { describe, expect, it } from "vitest";
import type { TProfileData } from "../shopper-profiles/profile-artifact.ts";
import type { TShopperTaste } from "../shopper-profiles/shopper-taste.service.ts";
import { segmentCategoryAffinities } from "../shopper-profiles/shopper-taste.ts";
import type { TLoadedSearchIndex } from "./search-index-build.service.ts";
import { personalizationFor } from "./search-personalization.ts";
import { mapSearchColumns } from "./search-schema.ts";

const shop = generateDemoShop({ products: 2_000, users: 400, events: 40_000, seed: 11 });
const products = shop.products.filter(
  (row, i, all) => all.findIndex((other) => other.item_id === row.item_id) === i,
);
const mapping = mapSearchColumns([
  { name: "item_id", type: "text", role: "itemId" },
  { name: "title", type: "text", role: "title" },
  { name: "description", type: "text", role: "description" },
  { name: "category", type: "text", role: "category" },
  { name: "subcategory", type: "text", role: null },
  { name: "brand", type: "text", role: "brand" },
  { name: "colour", type: "text", role: null },
  { name: "material", type: "text", role: null },
  { name: "price", type: "decimal", role: "price" },
])!;
const loaded: TLoadedSearchIndex = {
  catalogVersionId: "demo",
  indexVersion: "demo.test",
  label: "demo shop",
  index: buildSearchIndex(products as unknown as TSearchDocument[], mapping.schema),
  mapping,
  vocabulary: "none",
  builtAt: new Date(0),
  buildMs: 0,
};
const categoryOf = new Map(products.map((row) => [row.item_id, row.category]));

// Profiles as the profile job makes them: each user's share of events per category.
const categories = [...new Set(products.map((row) => row.category))].sort();
const users = shop.users.map((user) => user.user_id);
const rowOf = new Map(users.map((user, u) => [user, u]));
const features = new Float32Array(users.length * categories.length);
const totals = new Float64Array(users.length);
for (const event of shop.events) {
  const u = event.user_id === null ? undefined : rowOf.get(event.user_id);
  const c = categories.indexOf(categoryOf.get(event.item_id) ?? "");
  if (u === undefined || c < 0) continue;
  features[u * categories.length + c]! += 1;
  totals[u]! += 1;
}
users.forEach((_, u) => {
  for (let c = 0; c < categories.length; c++)
    if (totals[u]! > 0) features[u * categories.length + c]! /= totals[u]!;
});
const profile: Pick<TProfileData, "manifest" | "features"> = {
  manifest: {
    format: 1,
    count: users.length,
    features: categories.map((category) => `category.${category}`),
    vectorDimension: 0,
    asOf: "2026-11-01T00:00:00Z",
    eventTypes: [],
    categories,
    bands: [],
    usersWithoutVector: users.length,
    vectorSource: null,
  },
  features,
};
const labels = Int32Array.from(users, (user) => shop.truth.userSegments[user] ?? -1);

const tasteOf = (segment: number): TShopperTaste => ({
  userId: users[labels.indexOf(segment)]!,
  profileSetId: "profiles",
  vector: null,
  itemVectors: null,
  segment: {
    id: `segment-${segment}`,
    name: `segment ${segment}`,
    segmentSetId: "segments",
    categoryAffinity: segmentCategoryAffinities(profile, labels, segment),
  },
});

const topCategoryShare = (ids: string[], category: string) =>
  ids.filter((id) => categoryOf.get(id) === category).length;

describe("search personalisation on the demo shop", () => {
  const segments = shop.truth.segments.map((_, s) => s).filter((s) => labels.includes(s));

  it("moves a planted segment's top category up for its shoppers", () => {
    // Colour words cut across categories: every segment's category has items among the matches.
    const queries = ["black", "white", "blue", "grey"];
    let before = 0;
    let after = 0;
    for (const segment of segments) {
      const top = shop.truth.segments[segment]!.topCategories[0]!;
      const taste = tasteOf(segment);
      expect(taste.segment!.categoryAffinity.get(top)).toBeGreaterThan(0);
      for (const query of queries) {
        const base = searchIndex(loaded.index, { query, first: 10, explain: false }).hits.map((h) => h.id);
        const personal = searchIndex(loaded.index, {
          query,
          first: 10,
          explain: false,
          personalization: personalizationFor(loaded, taste, 0.2),
        }).hits;
        const ids = personal.map((h) => h.id);
        before += topCategoryShare(base, top);
        after += topCategoryShare(ids, top);
        expect(topCategoryShare(ids, top)).toBeGreaterThanOrEqual(topCategoryShare(base, top));
        for (const hit of personal) {
          if (categoryOf.get(hit.id) === top)
            expect(hit.personalization!.rankDelta).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(after).toBeGreaterThan(before * 1.5);
  });

  it("cannot bury an exact title match, even at the largest weight against the shopper's taste", () => {
    const titleCount = new Map<string, number>();
    for (const row of products)
      if (row.title) titleCount.set(row.title, (titleCount.get(row.title) ?? 0) + 1);
    for (const segment of segments) {
      const taste = tasteOf(segment);
      const affinity = taste.segment!.categoryAffinity;
      // Items of the category this segment likes least, with a title no other item has.
      const disliked = [...affinity.entries()].sort((a, b) => a[1] - b[1])[0]![0];
      const items = products
        .filter((row) => row.category === disliked && row.title && titleCount.get(row.title) === 1)
        .slice(0, 5);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        const hits = searchIndex(loaded.index, {
          query: item.title!,
          first: 3,
          explain: false,
          personalization: personalizationFor(loaded, taste, MAX_PERSONAL_WEIGHT),
        }).hits;
        expect(hits[0]!.id).toBe(item.item_id);
        expect(hits[0]!.personalization!.affinity).toBeLessThan(0);
      }
    }
  });
});
