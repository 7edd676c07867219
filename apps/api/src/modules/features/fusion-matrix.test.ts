import { describe, expect, it } from "vitest";
import { fuseItems, type TFusionItem } from "./fusion-matrix.ts";
import { ZFusionRecipe } from "./fusion-recipe.ts";

const recipe = (weights: Record<string, number>, extra: Record<string, number> = {}) =>
  ZFusionRecipe.parse({ catalogVersionId: "00000000-0000-4000-8000-000000000000", weights, ...extra });

const items: TFusionItem[] = [
  { id: "a", category: "Garden", attributes: { colour: "red" }, price: Math.E - 1, popularity: 0 },
  { id: "b", category: "Kitchen", attributes: { colour: null }, price: Math.E ** 3 - 1, popularity: null },
];
const text = { index: new Map([["a", 0]]), data: new Float32Array([3, 4]), dimension: 2 };
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe("fuseItems", () => {
  it("concatenates the weighted, normalised blocks in order: text, category, attributes, numeric", () => {
    const fused = fuseItems(
      items,
      text,
      recipe({ text: 2, category: 0.5, attributes: 1, numeric: 1 }, { hashDimension: 8 }),
    );
    expect(fused.blocks).toEqual([
      { name: "text", offset: 0, width: 2, weight: 2 },
      { name: "category", offset: 2, width: 2, weight: 0.5 },
      { name: "attributes", offset: 4, width: 8, weight: 1 },
      { name: "numeric", offset: 12, width: 2, weight: 1 },
    ]);
    expect(fused.dimension).toBe(14);
    expect(fused.categories).toEqual(["Garden", "Kitchen"]);
    const a = fused.data.subarray(0, 14);
    const b = fused.data.subarray(14, 28);
    // Text (3, 4) -> unit (0.6, 0.8) x 2; item b has no embedding, its text block stays zero.
    expect(a[0]).toBeCloseTo(1.2, 6);
    expect(a[1]).toBeCloseTo(1.6, 6);
    expect([b[0], b[1]]).toEqual([0, 0]);
    expect([a[2], a[3], b[2], b[3]]).toEqual([0.5, 0, 0, 0.5]);
    expect(norm(a.subarray(4, 12))).toBeCloseTo(1, 6);
    expect(norm(b.subarray(4, 12))).toBe(0);
    // log1p(price) = 1 and 3: mean 2, sample sd sqrt(2); z = -/+ 0.7071, times 1 / sqrt(2).
    expect(a[12]).toBeCloseTo(-0.5, 6);
    expect(b[12]).toBeCloseTo(0.5, 6);
    // Only a has a popularity: its z-score is 0 (sd falls back to 1), b's missing value encodes as 0.
    expect([a[13], b[13]]).toEqual([0, 0]);
    expect(fused.numeric.map((n) => n.name)).toEqual(["price", "popularity"]);
  });

  it("hashes categories beyond maxOneHot and drops blocks with weight 0", () => {
    const fused = fuseItems(
      items,
      text,
      recipe({ text: 0, category: 1, attributes: 0, numeric: 0 }, { maxOneHot: 1, hashDimension: 16 }),
    );
    expect(fused.blocks).toEqual([{ name: "category", offset: 0, width: 16, weight: 1 }]);
    expect(fused.categories).toBeNull();
    expect(norm(fused.data.subarray(0, 16))).toBeCloseTo(1, 6);
  });

  it("refuses a recipe that selects nothing", () => {
    expect(() => fuseItems(items, null, recipe({ text: 1, category: 0, attributes: 0, numeric: 0 }))).toThrow(
      /selects no features/,
    );
  });

  it("puts the picture embedding in its own weighted block after the text, zero for an item without a picture", () => {
    const image = { index: new Map([["b", 0]]), data: new Float32Array([0, 5, 0, 12]), dimension: 4 };
    const fused = fuseItems(
      items,
      text,
      recipe({ text: 1, image: 3, category: 0, attributes: 0, numeric: 0 }),
      image,
    );
    expect(fused.blocks).toEqual([
      { name: "text", offset: 0, width: 2, weight: 1 },
      { name: "image", offset: 2, width: 4, weight: 3 },
    ]);
    // (0, 5, 0, 12) has length 13: unit (0, 5/13, 0, 12/13), times 3.
    expect(Array.from(fused.data.subarray(6, 12))).toEqual([
      0,
      0,
      0,
      expect.closeTo(15 / 13, 6),
      0,
      expect.closeTo(36 / 13, 6),
    ]);
    expect(Array.from(fused.data.subarray(2, 6))).toEqual([0, 0, 0, 0]);
    // Weight 0 (or no image set) leaves the block out.
    expect(
      fuseItems(items, text, recipe({ text: 1, image: 0, category: 0, attributes: 0, numeric: 0 }), image)
        .dimension,
    ).toBe(2);
  });
});
