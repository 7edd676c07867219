import { CATEGORIES, type CategorySpec, COLOURS, type ProductTypeSpec } from "./catalog/index.ts";
import { charmPrice, DAY_MS, isoSeconds, itemIdOf } from "./format.ts";
import { cumulative, logNormal, pick, type Rng, sampleCumulative, shuffle } from "./prng.ts";
import type { ProductRow } from "./types.ts";

/** A clean catalogue item plus the hidden facts the behaviour model needs. */
export type CatalogItem = {
  row: ProductRow;
  categoryIndex: number;
  /** The real price; survives even when the row's price is later blanked or inflated. */
  truePrice: number;
  /** truePrice / type median: <1 cheap for its kind, >1 premium. Drives price-band taste. */
  priceRatio: number;
  /** Zipf-like weight by popularity rank within the category. */
  popularity: number;
};

const ZIPF_EXPONENT = 1.05;
/** Catalogue items were created in the two years before the event window. */
const CATALOGUE_AGE_DAYS = 730;

function lowerWords(text: string): string {
  // Lower-case ordinary capitalised words only, so "USB-C", "TPE" and "T-Shirt" survive.
  return text.replace(/\b([A-Z])([a-z])/g, (_, a: string, b: string) => a.toLowerCase() + b);
}

/** "A chef knife", "An electric kettle", but "Pruning shears" (plural nouns take no article). */
function withArticle(noun: string): string {
  if (/[^s]s$/.test(noun)) return noun.charAt(0).toUpperCase() + noun.slice(1);
  return `${/^[aeiou]/i.test(noun) ? "An" : "A"} ${noun}`;
}

function describe(rng: Rng, brand: string, type: ProductTypeSpec, material: string, colour: string | null) {
  const noun = lowerWords(type.name);
  const verb = type.materialVerb ?? "made from";
  const colourPart = colour ? ` in ${lowerWords(colour)}` : "";
  const sentences = [
    `${withArticle(noun)} ${verb} ${lowerWords(material)}${colourPart}, ideal for ${pick(rng, type.uses)}.`,
  ];
  if (rng() < 0.75) sentences.push(pick(rng, type.features));
  if (rng() < 0.4) {
    sentences.push(
      pick(rng, [
        `Backed by a two-year ${brand} guarantee.`,
        `Designed by ${brand} in the UK.`,
        `Part of the ${brand} everyday range.`,
      ]),
    );
  }
  return sentences.join(" ");
}

function makeItem(rng: Rng, n: number, category: CategorySpec, windowStart: number) {
  const type = pick(rng, category.types);
  const brand = pick(rng, category.brands);
  const material = pick(rng, type.materials);
  const colour = type.coloured ? pick(rng, COLOURS) : null;
  const size = type.sizes ? pick(rng, type.sizes) : null;
  const truePrice = charmPrice(logNormal(rng, type.median, type.sigma));
  const subtitle = type.subtitles ? pick(rng, type.subtitles) : null;
  const sizePart = (size ? ` ${size}` : "") + (subtitle ? `: ${subtitle}` : "");
  const itemId = itemIdOf(n);
  const createdMs = windowStart - Math.floor(rng() * CATALOGUE_AGE_DAYS * DAY_MS);
  const row: ProductRow = {
    item_id: itemId,
    title: `${brand} ${material} ${type.name}${sizePart}${colour ? `, ${colour}` : ""}`,
    description: describe(rng, brand, type, material, colour),
    category: category.name,
    subcategory: type.name,
    brand,
    colour,
    material,
    size,
    price: truePrice,
    currency: "GBP",
    image_url: `/images/${itemId}.jpg`,
    created_at: isoSeconds(Math.floor(createdMs / 1000) * 1000),
  };
  return { row, truePrice, priceRatio: truePrice / type.median };
}

/** Clean catalogue, ids P000001.. in order; dirt is applied later by dirt-products.ts. */
export function generateCatalog(rng: Rng, count: number, windowStart: number): CatalogItem[] {
  const categoryCum = cumulative(CATEGORIES.map((c) => c.weight));
  const items: CatalogItem[] = [];
  for (let n = 1; n <= count; n++) {
    const categoryIndex = sampleCumulative(rng, categoryCum);
    const category = CATEGORIES[categoryIndex] as CategorySpec;
    items.push({ ...makeItem(rng, n, category, windowStart), categoryIndex, popularity: 0 });
  }
  // Popularity ranks are a random permutation within each category, independent of id order.
  CATEGORIES.forEach((_, c) => {
    const members = shuffle(
      rng,
      items.filter((it) => it.categoryIndex === c),
    );
    members.forEach((item, rank) => {
      item.popularity = 1 / (rank + 1) ** ZIPF_EXPONENT;
    });
  });
  return items;
}
