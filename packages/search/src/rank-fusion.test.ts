import { describe, expect, it } from "vitest";
import { minMaxScale, reciprocalRankScore } from "./rank-fusion.ts";

describe("reciprocal-rank fusion (Cormack et al. 2009, k = 60)", () => {
  it("sums 1 / (k + rank) over the rankings that hold the item", () => {
    expect(reciprocalRankScore([1, 3], [1, 1])).toBeCloseTo(1 / 61 + 1 / 63, 15);
    expect(reciprocalRankScore([1, 3], [1, 1])).toBeCloseTo(0.0322664585, 9);
    expect(reciprocalRankScore([null, 1], [1, 1])).toBeCloseTo(1 / 61, 15);
    expect(reciprocalRankScore([null, null], [1, 1])).toBe(0);
  });
  it("weights each ranking's term and takes another k", () => {
    expect(reciprocalRankScore([2, 1], [2, 0.5], 10)).toBeCloseTo(2 / 12 + 0.5 / 11, 15);
  });
  it("an item second in both rankings beats one first in one and absent from the other", () => {
    expect(reciprocalRankScore([2, 2], [1, 1])).toBeGreaterThan(reciprocalRankScore([1, null], [1, 1]));
  });
  it("min-max scales the present values to [0, 1]", () => {
    const scaled = minMaxScale(Float64Array.from([2, 4, 3, 99]), Uint8Array.from([1, 1, 1, 0]));
    expect([...scaled]).toEqual([0, 1, 0.5, 0]);
  });
});
