import { mulberry32 } from "@dam/vocabulary/prng";
import { describe, expect, it } from "vitest";
import { cosineTopK, stackRows } from "./cosine-top-k.ts";
import { dot, norm } from "./vector-norm.ts";

describe("cosineTopK", () => {
  // Rows (2-D): cosines with the query (1, 0) are 1, 0, -1, 1/sqrt(2), 0 (zero row), 1/sqrt(2).
  const matrix = stackRows([
    new Float32Array([3, 0]),
    new Float32Array([0, 2]),
    new Float32Array([-1, 0]),
    new Float32Array([1, 1]),
    new Float32Array([0, 0]),
    new Float32Array([5, 5]),
  ]);
  const query = new Float32Array([1, 0]);

  it("returns the k most similar rows, best first, ties by lower index", () => {
    const { indices, scores } = cosineTopK(query, matrix, 3);
    expect(Array.from(indices)).toEqual([0, 3, 5]);
    expect(scores[0]).toBeCloseTo(1, 6);
    expect(scores[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(scores[2]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it("scores a zero row 0, honours exclude and clamps k", () => {
    const all = cosineTopK(query, matrix, 100);
    expect(Array.from(all.indices)).toEqual([0, 3, 5, 1, 4, 2]);
    expect(all.scores[5]).toBeCloseTo(-1, 6);
    expect(Array.from(cosineTopK(query, matrix, 2, new Set([0])).indices)).toEqual([3, 5]);
    expect(cosineTopK(query, matrix, 0).indices.length).toBe(0);
  });

  it("agrees with a full sort on random data", () => {
    const rng = mulberry32(99);
    const rows = Array.from({ length: 500 }, () => Float32Array.from({ length: 16 }, () => rng() - 0.5));
    const q = Float32Array.from({ length: 16 }, () => rng() - 0.5);
    const expected = rows
      .map((row, i) => ({ i, s: dot(q, row) / (norm(q) * norm(row)) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map(({ i }) => i);
    expect(Array.from(cosineTopK(q, stackRows(rows), 10).indices)).toEqual(expected);
  });

  it("rejects mismatched lengths", () => {
    expect(() => cosineTopK(new Float32Array(3), matrix, 1)).toThrow(/length/);
    expect(() => stackRows([new Float32Array(2), new Float32Array(3)])).toThrow(/row 1/);
  });
});
