import { murmur3 } from "@dam/embedder/murmur3-hash";
import type { TFusionRecipe } from "./fusion-recipe.ts";

/*
 * Pure fusion of item features into one vector per item (no I/O): a weighted concatenation of
 *   text       the item's embedding, L2-normalised (zeros for an item without one)
 *   image      the item's picture embedding, L2-normalised (zeros for an item without a picture)
 *   category   one-hot over the catalogue's categories (hashed when there are more than maxOneHot)
 *   attributes signed hashing of "name=value" pairs (colour, material, product type...), L2-normalised
 *   numeric    z-scores of log1p(price) and log1p(popularity) over the items, / sqrt(width)
 * each block multiplied by its weight.
 */

export type TFusionItem = {
  id: string;
  category: string | null;
  attributes: Record<string, string | null>;
  price: number | null;
  popularity: number | null;
};

export type TFusionBlock = { name: string; offset: number; width: number; weight: number };

export type TFusionResult = {
  data: Float32Array;
  dimension: number;
  blocks: TFusionBlock[];
  /** One-hot vocabulary (sorted), or null when categories were hashed. */
  categories: string[] | null;
  /** Mean and standard deviation of each numeric feature, to encode new items the same way. */
  numeric: { name: string; mean: number; sd: number }[];
};

const HASH_SEED = 0x5eed;

const hashInto = (key: string, out: Float32Array, offset: number, width: number) => {
  const h = murmur3(key, HASH_SEED) >>> 0;
  const sign = (murmur3(key, HASH_SEED + 1) & 1) === 0 ? 1 : -1;
  out[offset + (h % width)]! += sign;
};

const normaliseSlice = (out: Float32Array, start: number, width: number, scale: number) => {
  let norm = 0;
  for (let j = 0; j < width; j++) norm += out[start + j]! ** 2;
  if (norm === 0) return;
  const factor = scale / Math.sqrt(norm);
  for (let j = 0; j < width; j++) out[start + j]! *= factor;
};

export type TEmbeddingLookup = { index: Map<string, number>; data: Float32Array; dimension: number };

/** A built set's encoding (its manifest): new items are encoded with it, not with their own statistics. */
export type TFrozenEncoding = Pick<TFusionResult, "blocks" | "categories" | "numeric">;

export const fuseItems = (
  items: TFusionItem[],
  text: TEmbeddingLookup | null,
  recipe: Pick<TFusionRecipe, "weights" | "maxOneHot" | "hashDimension">,
  image: TEmbeddingLookup | null = null,
  frozen: TFrozenEncoding | null = null,
): TFusionResult => {
  const derived = frozen ?? deriveEncoding(items, text, recipe, image);
  return encodeItems(items, text, image, derived);
};

/** Blocks, category vocabulary and numeric statistics of a new set, from its items. */
const deriveEncoding = (
  items: TFusionItem[],
  text: TEmbeddingLookup | null,
  recipe: Pick<TFusionRecipe, "weights" | "maxOneHot" | "hashDimension">,
  image: TEmbeddingLookup | null,
): TFrozenEncoding => {
  const { weights } = recipe;
  const distinctCategories = [
    ...new Set(items.flatMap((i) => (i.category === null ? [] : [i.category]))),
  ].sort();
  const oneHot = distinctCategories.length <= recipe.maxOneHot;
  const hasNumeric = {
    price: items.some((i) => i.price !== null && i.price > 0),
    popularity: items.some((i) => i.popularity !== null),
  };
  const numericNames = (["price", "popularity"] as const).filter((name) => hasNumeric[name]);
  const hasAttributes = items.some((i) => Object.values(i.attributes).some((v) => v !== null));
  const widths = {
    text: text && weights.text > 0 ? text.dimension : 0,
    image: image && weights.image > 0 ? image.dimension : 0,
    category:
      weights.category > 0 && distinctCategories.length > 0
        ? oneHot
          ? distinctCategories.length
          : recipe.hashDimension
        : 0,
    attributes: weights.attributes > 0 && hasAttributes ? recipe.hashDimension : 0,
    numeric: weights.numeric > 0 ? numericNames.length : 0,
  };
  const blocks: TFusionBlock[] = [];
  let dimension = 0;
  for (const name of ["text", "image", "category", "attributes", "numeric"] as const) {
    if (widths[name] === 0) continue;
    blocks.push({ name, offset: dimension, width: widths[name], weight: weights[name] });
    dimension += widths[name];
  }
  if (dimension === 0) throw new Error("the recipe selects no features: every weighted block is empty");
  // Numeric statistics over the items that have the value; a missing value encodes as the mean (0).
  const numeric = numericNames.map((name) => {
    const values = items.flatMap((item) => {
      const v = raw(item, name);
      return v === null ? [] : [v];
    });
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
    return { name, mean, sd: Math.sqrt(variance) || 1 };
  });
  return { blocks, categories: oneHot ? distinctCategories : null, numeric };
};

const raw = (item: TFusionItem, name: "price" | "popularity") => {
  const value = name === "price" ? item.price : item.popularity;
  return value === null || !(value >= 0) ? null : Math.log1p(value);
};

const encodeItems = (
  items: TFusionItem[],
  text: TEmbeddingLookup | null,
  image: TEmbeddingLookup | null,
  encoding: TFrozenEncoding,
): TFusionResult => {
  const { blocks, categories, numeric } = encoding;
  const dimension = blocks.reduce((end, b) => Math.max(end, b.offset + b.width), 0);
  const block = (name: string) => blocks.find((b) => b.name === name);
  const data = new Float32Array(items.length * dimension);
  const oneHot = categories !== null;
  const categoryIndex = new Map((categories ?? []).map((c, i) => [c, i]));

  items.forEach((item, row) => {
    const base = row * dimension;
    const t = block("text");
    const vectorRow = t && text ? text.index.get(item.id) : undefined;
    if (t && text && vectorRow !== undefined) {
      data.set(
        text.data.subarray(vectorRow * text.dimension, (vectorRow + 1) * text.dimension),
        base + t.offset,
      );
      normaliseSlice(data, base + t.offset, t.width, t.weight);
    }
    const im = block("image");
    const imageRow = im && image ? image.index.get(item.id) : undefined;
    if (im && image && imageRow !== undefined) {
      data.set(
        image.data.subarray(imageRow * image.dimension, (imageRow + 1) * image.dimension),
        base + im.offset,
      );
      normaliseSlice(data, base + im.offset, im.width, im.weight);
    }
    const c = block("category");
    if (c && item.category !== null) {
      if (oneHot) {
        // A category the set has never seen (a new item's) has no column: the block stays empty.
        const at = categoryIndex.get(item.category);
        if (at !== undefined) data[base + c.offset + at] = c.weight;
      } else {
        hashInto(`category=${item.category}`, data, base + c.offset, c.width);
        normaliseSlice(data, base + c.offset, c.width, c.weight);
      }
    }
    const a = block("attributes");
    if (a) {
      for (const [name, value] of Object.entries(item.attributes)) {
        if (value !== null && value !== "")
          hashInto(`${name}=${value.toLowerCase()}`, data, base + a.offset, a.width);
      }
      normaliseSlice(data, base + a.offset, a.width, a.weight);
    }
    const n = block("numeric");
    if (n) {
      numeric.forEach((stat, j) => {
        const v = raw(item, stat.name as "price" | "popularity");
        data[base + n.offset + j] =
          v === null ? 0 : ((v - stat.mean) / stat.sd) * (n.weight / Math.sqrt(n.width));
      });
    }
  });
  return { data, dimension, blocks, categories, numeric };
};
