import { describe, expect, it } from "vitest";
import { csrFromCoo } from "./csr-matrix.ts";
import { evaluateFullRanking } from "./evaluate-ranking.ts";
import { fitHybrid, standardiseInPlace } from "./hybrid-blend.ts";
import { fitPopularity } from "./popularity.ts";

// 2 users x 5 items. Popularity counts: item 0 = 2, item 1 = 1, item 2 = 1, others 0.
const train = csrFromCoo(
  { rows: 2, cols: 5 },
  { rows: [0, 1, 1, 1], cols: [0, 0, 1, 2], values: [1, 1, 1, 1] },
);

describe("evaluateFullRanking", () => {
  it("excludes known items and ranks the rest (popularity, K = 2)", () => {
    // user 0 (has item 0) gets [1, 2]; user 1 (has 0, 1, 2) gets [3, 4].
    const target = csrFromCoo({ rows: 2, cols: 5 }, { rows: [0, 1], cols: [2, 4], values: [1, 1] });
    const result = evaluateFullRanking({
      scorer: fitPopularity(train),
      history: train,
      exclude: [train],
      target,
      k: 2,
    });
    expect(result.users).toBe(2);
    // user 0: hit at rank 2 -> ndcg 1/log2(3) = 0.6309298, mrr 0.5; user 1: hit at rank 2 as well.
    expect(result.ndcg).toBeCloseTo(0.6309298, 6);
    expect(result.mrr).toBeCloseTo(0.5, 12);
    expect(result.recall).toBeCloseTo(1, 12);
    expect(result.precision).toBeCloseTo(0.5, 12);
    expect(result.coverage).toBeCloseTo(4 / 5, 12);
  });

  it("does not count an excluded item as a target", () => {
    // user 1's only target is an item already in its history: nothing left to find, user skipped.
    const target = csrFromCoo({ rows: 2, cols: 5 }, { rows: [1], cols: [1], values: [1] });
    const result = evaluateFullRanking({
      scorer: fitPopularity(train),
      history: train,
      exclude: [train],
      target,
      k: 2,
    });
    expect(result.users).toBe(0);
  });
});

describe("hybrid blend", () => {
  it("standardises scores and maps -Infinity to the lowest z-score", () => {
    const s = Float32Array.from([1, 3, Number.NEGATIVE_INFINITY]);
    standardiseInPlace(s);
    expect(Array.from(s)).toEqual([-1, 1, -1]);
  });

  it("with one non-zero weight ranks like that model", () => {
    const pop = fitPopularity(train);
    const hybrid = fitHybrid([pop, pop], [1, 0]);
    const out = new Float32Array(5);
    hybrid.scoreUser(0, train, out);
    expect(out[0]).toBeGreaterThan(out[1]!);
    expect(out[1]).toBeCloseTo(out[2]!, 6);
    expect(out[2]).toBeGreaterThan(out[3]!);
  });
});
