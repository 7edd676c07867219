// Top-K ranking metrics with RecBole's definitions (recbole/evaluator/metrics.py, v1.2):
//   hit@K       = 1 if any of the top K is relevant
//   mrr@K       = 1 / rank of the first relevant item within the top K, else 0
//   ndcg@K      = DCG / IDCG, binary relevance, DCG = sum over hits at rank i of 1 / log2(i + 1),
//                 IDCG over min(K, |relevant|) ideal positions
//   recall@K    = hits / |relevant|
//   precision@K = hits / K
// Each is averaged over the users that have at least one relevant item.

export type TRankingMetrics = {
  recall: number;
  ndcg: number;
  mrr: number;
  hit: number;
  precision: number;
};

export const METRIC_NAMES = ["recall", "ndcg", "mrr", "hit", "precision"] as const;

/** Metrics of one ranked list against a set of relevant items. */
export const rankingMetrics = (ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number) => {
  let hits = 0;
  let dcg = 0;
  let firstHit = 0;
  const depth = Math.min(k, ranked.length);
  for (let i = 0; i < depth; i++) {
    if (!relevant.has(ranked[i]!)) continue;
    hits++;
    dcg += 1 / Math.log2(i + 2);
    if (firstHit === 0) firstHit = i + 1;
  }
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  return {
    recall: relevant.size === 0 ? 0 : hits / relevant.size,
    ndcg: idcg === 0 ? 0 : dcg / idcg,
    mrr: firstHit === 0 ? 0 : 1 / firstHit,
    hit: hits > 0 ? 1 : 0,
    precision: hits / k,
  } satisfies TRankingMetrics;
};

/** Running mean of per-user metrics plus the set of recommended items (for catalogue coverage). */
export const createMetricsAccumulator = (k: number, catalogueSize: number) => {
  const sums: TRankingMetrics = { recall: 0, ndcg: 0, mrr: 0, hit: 0, precision: 0 };
  const recommended = new Uint8Array(catalogueSize);
  let users = 0;
  return {
    add(ranked: ArrayLike<number>, relevant: ReadonlySet<number>) {
      if (relevant.size === 0) return;
      const one = rankingMetrics(ranked, relevant, k);
      for (const name of METRIC_NAMES) sums[name] += one[name];
      for (let i = 0; i < Math.min(k, ranked.length); i++) recommended[ranked[i]!] = 1;
      users++;
    },
    result(): TRankingMetrics & { users: number; coverage: number } {
      let distinct = 0;
      for (const flag of recommended) distinct += flag;
      const mean = (v: number) => (users === 0 ? 0 : v / users);
      return {
        recall: mean(sums.recall),
        ndcg: mean(sums.ndcg),
        mrr: mean(sums.mrr),
        hit: mean(sums.hit),
        precision: mean(sums.precision),
        users,
        coverage: catalogueSize === 0 ? 0 : distinct / catalogueSize,
      };
    },
  };
};
