import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";

describe("computeAdjustedRandIndex", () => {
  it("is 1 for identical partitions, whatever the label names", () => {
    expect(computeAdjustedRandIndex([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2])).toBe(1);
    expect(computeAdjustedRandIndex([0, 0, 1, 1, 2, 2], [5, 5, -1, -1, 9, 9])).toBe(1);
  });

  it("matches the hand-computed value of a 2 x 3 contingency table", () => {
    // truth {0,0,0,1,1,1} vs predicted {0,0,1,1,2,2}: n_ij = [[2,1,0],[0,1,2]].
    // sum C(n_ij,2) = 2; sum C(a_i,2) = 3 + 3 = 6; sum C(b_j,2) = 1 + 1 + 1 = 3; C(6,2) = 15.
    // E = 6 * 3 / 15 = 1.2; max = (6 + 3) / 2 = 4.5; ARI = (2 - 1.2) / (4.5 - 1.2) = 8/33.
    expect(computeAdjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 14);
  });

  it("matches scikit-learn's documented example (4/7)", () => {
    // adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 0.5714... in scikit-learn's docs.
    expect(computeAdjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 14);
  });

  it("is negative for worse-than-chance agreement and 0 against a single cluster", () => {
    // n_ij all ones: index 0, E = 2 * 2 / 6 = 2/3, max = 2 -> ARI = -(2/3) / (4/3) = -1/2.
    expect(computeAdjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(computeAdjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 0])).toBe(0);
  });

  it("rejects labellings of different lengths", () => {
    expect(() => computeAdjustedRandIndex([0, 1], [0])).toThrow(RangeError);
  });
});
