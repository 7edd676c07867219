import { describe, expect, it } from "vitest";
import { csrFromCoo } from "./csr-matrix.ts";
import { easeGram, fitEase, withPopularityExponent } from "./ease.ts";

// X = [[1,1,0],[0,1,1],[1,1,1]], lambda = 1:
//   X^T X + I = [[3,2,1],[2,4,2],[1,2,3]], det 16, inverse P = [[.5,-.25,0],[-.25,.5,-.25],[0,-.25,.5]]
//   B_ij = -P_ij / P_jj = [[0,.5,0],[.5,0,.5],[0,.5,0]]
const x = csrFromCoo(
  { rows: 3, cols: 3 },
  { rows: [0, 0, 1, 1, 2, 2, 2], cols: [0, 1, 1, 2, 0, 1, 2], values: [1, 1, 1, 1, 1, 1, 1] },
);

describe("EASE", () => {
  it("matches the hand-solved closed form", () => {
    const model = fitEase(x, { lambda: 1 });
    const expected = [0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0];
    Array.from(model.weights).forEach((w, k) => {
      expect(w).toBeCloseTo(expected[k]!, 6);
    });
    const out = new Float32Array(3);
    model.scoreUser(0, x, out); // x_0 B = row 0 + row 1 of B
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5]);
  });

  it("models only the most popular items under maxItems", () => {
    // Item popularity 2, 3, 2: the two kept are 1 and 0 (tie broken to the lower id).
    const model = fitEase(x, { lambda: 1, maxItems: 2 });
    expect(Array.from(model.items)).toEqual([0, 1]);
    const out = new Float32Array(3);
    model.scoreUser(1, x, out);
    expect(out[2]).toBe(Number.NEGATIVE_INFINITY);
    // On items {0, 1}: G + I = [[3,2],[2,4]], P = [[.5,-.25],[-.25,.375]], B_01 = .25/.375, B_10 = .5.
    expect(model.weights[1]).toBeCloseTo(0.25 / 0.375, 6);
    expect(model.weights[2]).toBeCloseTo(0.5, 6);
  });

  it("adds the EDLAE emphasis p / (1 - p) * (X^T X)_ii to the diagonal", () => {
    // Every item has 2 users here, so G = [[2,1,1],[1,2,1],[1,1,2]]; p = 0.5, lambda = 1 gives
    // G + 3I = 4I + J, inverse (I - J / 7) / 4: P_ii = 6/28, P_ij = -1/28, so every B_ij = 1/6.
    const y = csrFromCoo(
      { rows: 3, cols: 3 },
      { rows: [0, 0, 1, 1, 2, 2], cols: [0, 1, 1, 2, 0, 2], values: [1, 1, 1, 1, 1, 1] },
    );
    const model = fitEase(y, { lambda: 1, dropout: 0.5 });
    Array.from(model.weights).forEach((w, k) => {
      expect(w).toBeCloseTo(k % 4 === 0 ? 0 : 1 / 6, 6);
    });
  });

  it("divides column j of B by pop_j^b", () => {
    // Same X as above: B = [[0,.5,0],[.5,0,.5],[0,.5,0]], training users per item 2, 3, 2; b = 1.
    const model = fitEase(x, { lambda: 1, popularityExponent: 1 });
    const expected = [0, 0.5 / 3, 0, 0.25, 0, 0.25, 0, 0.5 / 3, 0];
    Array.from(model.weights).forEach((w, k) => {
      expect(w).toBeCloseTo(expected[k]!, 6);
    });
    const out = new Float32Array(3);
    model.scoreUser(0, x, out); // rows 0 + 1
    expect(out[0]).toBeCloseTo(0.25, 6);
    expect(out[1]).toBeCloseTo(0.5 / 3, 6);
    expect(out[2]).toBeCloseTo(0.25, 6);
  });

  it("re-derives another popularity exponent without refitting", () => {
    const halfway = withPopularityExponent(fitEase(x, { lambda: 1, popularityExponent: 1 }), 0.5);
    const direct = fitEase(x, { lambda: 1, popularityExponent: 0.5 });
    expect(halfway.popularityExponent).toBe(0.5);
    Array.from(direct.weights).forEach((w, k) => {
      expect(halfway.weights[k]).toBeCloseTo(w, 6);
    });
    // Back to b = 0 is plain EASE: B_10 = .5 again.
    expect(withPopularityExponent(halfway, 0).weights[3]).toBeCloseTo(0.5, 6);
  });

  it("weights user rows by |u|^-a in the Gram matrix, squared weights averaging 1", () => {
    // Degrees 2, 2, 3 and a = 0.5: squared weights 1/2, 1/2, 1/3, mean over the 7 entries 3/7, so
    // rescaled to 7/6, 7/6, 7/9 = (21, 21, 14) / 18. G_ij sums them over the users having i and j:
    // G00 = u0 + u2 = 35, G11 = all = 56, G22 = u1 + u2 = 35, G10 = 35, G20 = u2 = 14, G21 = 35 (/18).
    const g = easeGram(x, { userWeightExponent: 0.5 });
    const lower = [0, 3, 4, 6, 7, 8].map((k) => g.matrix[k]! * 18);
    [35, 35, 56, 14, 35, 35].forEach((v, k) => {
      expect(lower[k]).toBeCloseTo(v, 4); // Float32 row values
    });
  });

  it("leaves the Gram matrix alone when every user has the same degree", () => {
    const y = csrFromCoo(
      { rows: 3, cols: 3 },
      { rows: [0, 0, 1, 1, 2, 2], cols: [0, 1, 1, 2, 0, 2], values: [1, 1, 1, 1, 1, 1] },
    );
    const weighted = fitEase(y, { lambda: 1, dropout: 0.5, userWeightExponent: 0.5 });
    Array.from(weighted.weights).forEach((w, k) => {
      expect(w).toBeCloseTo(k % 4 === 0 ? 0 : 1 / 6, 6);
    });
  });

  it("refuses a Gram matrix made for another user weighting", () => {
    expect(() => fitEase(x, { lambda: 1, userWeightExponent: 0.5 }, easeGram(x, {}))).toThrow(RangeError);
  });
});
