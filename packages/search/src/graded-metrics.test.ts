import { describe, expect, it } from "vitest";
import { ndcgAt, recallAt, reciprocalRank } from "./graded-metrics.ts";

// Judged: a 3, b 2, c 0, d 1. Ranking c, a, d, b.
//   DCG@3  = (2^0-1)/log2 2 + (2^3-1)/log2 3 + (2^1-1)/log2 4 = 0 + 7/1.5849625 + 1/2 = 4.9165082
//   IDCG@3 = 7/1 + 3/1.5849625 + 1/2 = 9.3927892
//   NDCG@3 = 0.5234340
const judged = new Map([
  ["a", 3],
  ["b", 2],
  ["c", 0],
  ["d", 1],
]);

describe("graded metrics", () => {
  it("NDCG@k with gain 2^g - 1, worked by hand", () => {
    expect(ndcgAt(["c", "a", "d", "b"], judged, 3)).toBeCloseTo(0.523434, 6);
    expect(ndcgAt(["a", "b", "d", "c"], judged, 3)).toBeCloseTo(1, 12);
    expect(ndcgAt(["x"], new Map([["x", 0]]), 10)).toBe(0);
  });
  it("recall@k over min(k, relevant) and reciprocal rank of the first relevant item", () => {
    expect(recallAt(["c", "a", "d", "b"], judged, 2, 2)).toBe(0.5);
    expect(recallAt(["c", "a", "d", "b"], judged, 1, 2)).toBe(0);
    expect(recallAt(["a"], judged, 1, 2)).toBe(1);
    expect(reciprocalRank(["c", "d", "b", "a"], judged, 2)).toBeCloseTo(1 / 3, 15);
    expect(reciprocalRank(["c"], judged, 2)).toBe(0);
  });
});
