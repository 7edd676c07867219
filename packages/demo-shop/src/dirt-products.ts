import { roundPence } from "./format.ts";
import type { DirtCounts } from "./options.ts";
import { type Rng, sampleIndexList } from "./prng.ts";
import type { CatalogItem } from "./products.ts";
import type { DirtTruth, PriceOutlier, ProductRow } from "./types.ts";

type ProductDirt = { rows: ProductRow[]; truth: DirtTruth["products"] };

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Plant catalogue dirt. All five sets are drawn together as distinct items, so they are
 * disjoint: an item is at most one of duplicated / missing title / missing description /
 * missing price / price outlier, and every planted count can be recovered exactly.
 * Duplicated items are otherwise clean, so their copies are exact.
 */
export function applyProductDirt(rng: Rng, catalog: CatalogItem[], counts: DirtCounts): ProductDirt {
  const rows = catalog.map((item) => ({ ...item.row }));
  const picked = sampleIndexList(
    rng,
    rows.length,
    counts.productDuplicates +
      counts.missingTitles +
      counts.missingDescriptions +
      counts.missingPrices +
      counts.priceOutliers,
  );
  let cursor = 0;
  const take = (n: number) => {
    const out = picked.slice(cursor, cursor + n);
    cursor += n;
    return out;
  };
  const duplicated = take(counts.productDuplicates);
  const noTitle = take(counts.missingTitles);
  const noDescription = take(counts.missingDescriptions);
  const noPrice = take(counts.missingPrices);
  const outliers = take(counts.priceOutliers);

  const row = (i: number) => rows[i] as ProductRow;
  for (const i of noTitle) row(i).title = null;
  for (const i of noDescription) row(i).description = null;
  for (const i of noPrice) row(i).price = null;
  const details: PriceOutlier[] = outliers.map((i) => {
    // x100..x1000: the classic pence-vs-pounds or extra-zeros data-entry error.
    const factor = 100 + Math.floor(rng() * 901);
    const normalPrice = (catalog[i] as CatalogItem).truePrice;
    const price = roundPence(normalPrice * factor);
    row(i).price = price;
    return { itemId: row(i).item_id, price, normalPrice, factor };
  });

  // Each copy lands somewhere after its original, so "duplicate" always means "repeats an earlier row".
  const copiesAfter = new Map<number, ProductRow[]>();
  for (const i of duplicated) {
    const at = i + Math.floor(rng() * (rows.length - i));
    const list = copiesAfter.get(at) ?? [];
    list.push({ ...row(i) });
    copiesAfter.set(at, list);
  }
  const out: ProductRow[] = [];
  rows.forEach((r, i) => {
    out.push(r);
    for (const copy of copiesAfter.get(i) ?? []) out.push(copy);
  });

  const ids = (idx: number[]) => idx.map((i) => row(i).item_id).sort(byId);
  return {
    rows: out,
    truth: {
      duplicateRows: { count: duplicated.length, ids: ids(duplicated) },
      missingTitle: { count: noTitle.length, ids: ids(noTitle) },
      missingDescription: { count: noDescription.length, ids: ids(noDescription) },
      missingPrice: { count: noPrice.length, ids: ids(noPrice) },
      priceOutliers: {
        count: outliers.length,
        ids: ids(outliers),
        details: details.sort((a, b) => byId(a.itemId, b.itemId)),
      },
    },
  };
}
