import { describe, expect, it } from "vitest";
import type { TRating } from "./agreement-types.ts";
import { pairwiseCohenKappa } from "./pairwise-kappa.ts";

const _ = null;

// Three raters, five items, with gaps. By hand, each pair over the items both rated:
// (0,1) items 1-4: Po = 3/4, Pe = (2*3 + 2*1)/16 = 1/2, kappa = 1/2
// (0,2) items 1-3: Po = 2/3, Pe = (2*1 + 1*2)/9 = 4/9, kappa = (2/9)/(5/9) = 2/5
// (1,2) items 1,2,3,5: Po = 3/4, Pe = (2*1 + 2*3)/16 = 1/2, kappa = 1/2
// Light's kappa = (1/2 + 2/5 + 1/2)/3 = 7/15.
const TABLE: TRating[][] = [
  ["a", "a", "a"],
  ["a", "a", "b"],
  ["b", "b", "b"],
  ["b", "a", _],
  [_, "b", "b"],
];

describe("pairwise Cohen's kappa", () => {
  it("matches the per-pair kappas and Light's kappa worked by hand", () => {
    const result = pairwiseCohenKappa(TABLE);
    expect(result.pairs.map((p) => [p.raterA, p.raterB, p.kappa.items])).toEqual([
      [0, 1, 4],
      [0, 2, 3],
      [1, 2, 4],
    ]);
    const values = result.pairs.map((p) => p.kappa.value ?? Number.NaN);
    expect(values).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0.4, 12), expect.closeTo(0.5, 12)]);
    expect(result.meanKappa).toBeCloseTo(7 / 15, 12);
    expect(result.meanUndefined).toBeNull();
  });

  it("marks pairs that never rated the same item and averages the others", () => {
    const result = pairwiseCohenKappa([
      [1, _, 1],
      [_, 2, 2],
      [2, _, 2],
    ]);
    expect(result.pairs[0]?.kappa.reason).toBe("NO_OVERLAP");
    expect(result.pairs[1]?.kappa.value).toBe(1);
    expect(result.pairs[2]?.kappa.reason).toBe("ONE_CATEGORY");
    expect(result.meanKappa).toBe(1);
  });

  it("gives the reason when no pair has a kappa", () => {
    expect(pairwiseCohenKappa([[1], [2]]).meanUndefined?.reason).toBe("SINGLE_RATER");
    expect(pairwiseCohenKappa([[_, _]]).meanUndefined?.reason).toBe("ALL_MISSING");
    expect(
      pairwiseCohenKappa([
        ["x", "x"],
        ["x", "x"],
      ]).meanUndefined?.reason,
    ).toBe("ONE_CATEGORY");
  });

  it("weights every pair on the same declared scale", () => {
    const table = [
      [0, 1],
      [1, 1],
      [3, 3],
      [3, 0],
    ];
    // Same pairs as the unused-scale-point case of cohen-kappa.test.ts: 3/11 on the scale 0..3.
    const result = pairwiseCohenKappa(table, { weights: "linear", categories: [0, 1, 2, 3] });
    expect(result.pairs[0]?.kappa.value).toBeCloseTo(3 / 11, 12);
  });
});
