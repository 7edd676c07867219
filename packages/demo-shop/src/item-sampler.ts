import { CATEGORIES } from "./catalog/index.ts";
import { cumulative, type Rng, sampleCumulative } from "./prng.ts";
import type { CatalogItem } from "./products.ts";
import { priceAffinity, type Segment } from "./segments.ts";

type Pool = { members: number[]; cum: Float64Array };

/**
 * Item choice for (segment, category): popularity (Zipf within category) times the segment's
 * price-band affinity. Tables are precomputed once so each of the ~200k draws is a binary search.
 */
export type ItemSampler = (rng: Rng, segmentIndex: number, categoryIndex: number) => number;

function pool(catalog: CatalogItem[], members: number[], segment: Segment): Pool {
  const weights = members.map((i) => {
    const item = catalog[i] as CatalogItem;
    return item.popularity * priceAffinity(segment.priceBand, item.priceRatio);
  });
  return { members, cum: cumulative(weights) };
}

export function buildItemSampler(catalog: CatalogItem[], segments: Segment[]): ItemSampler {
  const all = catalog.map((_, i) => i);
  const byCategory = CATEGORIES.map((_, c) => all.filter((i) => catalog[i]?.categoryIndex === c));
  const tables = segments.map((segment) =>
    // Tiny catalogues can leave a category empty; fall back to the whole catalogue then.
    byCategory.map((members) => pool(catalog, members.length > 0 ? members : all, segment)),
  );
  return (rng, segmentIndex, categoryIndex) => {
    const table = tables[segmentIndex]?.[categoryIndex];
    if (!table) throw new RangeError(`no item pool for segment ${segmentIndex}, category ${categoryIndex}`);
    return table.members[sampleCumulative(rng, table.cum)] as number;
  };
}
