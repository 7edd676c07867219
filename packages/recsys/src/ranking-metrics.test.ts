import { describe, expect, it } from "vitest";
import { createMetricsAccumulator, rankingMetrics } from "./ranking-metrics.ts";

describe("rankingMetrics (RecBole definitions)", () => {
  // Ranking [5, 1, 7, 3, 9], relevant {1, 3, 4}, K = 5: hits at ranks 2 and 4.
  //   recall = 2/3; precision = 2/5; mrr = 1/2; hit = 1
  //   DCG = 1/log2(3) + 1/log2(5) = 0.6309298 + 0.4306766 = 1.0616064
  //   IDCG (3 relevant) = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309298 + 0.5 = 2.1309298
  //   ndcg = 0.4981892
  it("matches a hand-worked ranking", () => {
    const m = rankingMetrics([5, 1, 7, 3, 9], new Set([1, 3, 4]), 5);
    expect(m.recall).toBeCloseTo(2 / 3, 10);
    expect(m.precision).toBeCloseTo(0.4, 10);
    expect(m.mrr).toBeCloseTo(0.5, 10);
    expect(m.hit).toBe(1);
    expect(m.ndcg).toBeCloseTo(0.4981892, 6);
  });

  it("takes the ideal DCG over min(K, |relevant|) positions", () => {
    // K = 2, relevant {1, 2, 3}, ranking [2, 9]: DCG = 1, IDCG = 1 + 1/log2(3) = 1.6309298.
    const m = rankingMetrics([2, 9, 1], new Set([1, 2, 3]), 2);
    expect(m.ndcg).toBeCloseTo(1 / 1.6309298, 6);
    expect(m.recall).toBeCloseTo(1 / 3, 10);
    expect(m.precision).toBeCloseTo(0.5, 10);
  });

  it("is 1 for a perfect ranking and 0 without hits", () => {
    expect(rankingMetrics([4, 2], new Set([2, 4]), 10).ndcg).toBeCloseTo(1, 12);
    const miss = rankingMetrics([0, 1, 2], new Set([7]), 3);
    expect(miss).toEqual({ recall: 0, ndcg: 0, mrr: 0, hit: 0, precision: 0 });
  });
});

describe("createMetricsAccumulator", () => {
  it("averages over users with relevant items and measures catalogue coverage", () => {
    const acc = createMetricsAccumulator(2, 10);
    acc.add([0, 1], new Set([1])); // recall 1, mrr 1/2
    acc.add([2, 1], new Set([5])); // all 0
    acc.add([3, 4], new Set()); // no relevant items: not counted
    const r = acc.result();
    expect(r.users).toBe(2);
    expect(r.recall).toBeCloseTo(0.5, 12);
    expect(r.mrr).toBeCloseTo(0.25, 12);
    expect(r.hit).toBeCloseTo(0.5, 12);
    expect(r.coverage).toBeCloseTo(3 / 10, 12); // items 0, 1, 2
  });
});
