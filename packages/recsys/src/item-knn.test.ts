import { describe, expect, it } from "vitest";
import { csrFromCoo, csrRow } from "./csr-matrix.ts";
import { fitItemKnn } from "./item-knn.ts";

// u0: i0 i1 / u1: i0 i1 i2 / u2: i2 i3 (binary). Norms sqrt2, sqrt2, sqrt2, 1.
// Co-occurrences: (0,1) = 2, (0,2) = 1, (1,2) = 1, (2,3) = 1, (0,3) = (1,3) = 0.
// Cosine: s01 = 1, s02 = s12 = 0.5, s23 = 1/sqrt2.
const x = csrFromCoo(
  { rows: 3, cols: 4 },
  { rows: [0, 0, 1, 1, 1, 2, 2], cols: [0, 1, 0, 1, 2, 2, 3], values: [1, 1, 1, 1, 1, 1, 1] },
);

describe("item-kNN", () => {
  it("keeps the top-k cosine neighbours", () => {
    const model = fitItemKnn(x, { k: 1, shrink: 0 });
    const of = (i: number) => {
      const row = csrRow(model.neighbours, i);
      return Array.from(row.indices).map((j, t) => [j, row.values[t]]);
    };
    expect(of(0)).toEqual([[1, 1]]);
    expect(of(2)[0]![0]).toBe(3);
    expect(of(2)[0]![1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(of(3)[0]![0]).toBe(2);
  });

  it("shrinks similarities built on few co-occurrences", () => {
    // shrink 1: s23 = 1 / (sqrt2 + 1) = 0.414214, s20 = s21 = 1 / 3; k = 2 keeps 3 and 0 (tie: lower id).
    const model = fitItemKnn(x, { k: 2, shrink: 1 });
    const row = csrRow(model.neighbours, 2);
    expect(Array.from(row.indices)).toEqual([0, 3]);
    expect(row.values[0]).toBeCloseTo(1 / 3, 6);
    expect(row.values[1]).toBeCloseTo(1 / (Math.SQRT2 + 1), 6);
  });

  it("scores a user by summing neighbour similarities of their items", () => {
    // u0 has i0, i1; with k = 2: i0 -> {i1: 1, i2: .5}, i1 -> {i0: 1, i2: .5}.
    const model = fitItemKnn(x, { k: 2, shrink: 0 });
    const out = new Float32Array(4);
    model.scoreUser(0, x, out);
    expect(Array.from(out)).toEqual([1, 1, 1, 0]);
  });
});
