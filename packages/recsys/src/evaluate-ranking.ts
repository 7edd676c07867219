// Full-ranking evaluation: every user with test items gets a score for every item, the items in
// `exclude` (what the user is known to have had: training, and validation when testing) are removed,
// and the top K is compared with the user's test items.
import type { TCsrMatrix } from "./csr-matrix.ts";
import { createMetricsAccumulator, type TRankingMetrics } from "./ranking-metrics.ts";
import type { TScorer } from "./recommender-types.ts";
import { selectTopK } from "./top-k.ts";

export type TEvaluationInput = {
  scorer: TScorer;
  /** What the model reads as each user's history (normally the training matrix). */
  history: TCsrMatrix;
  /** Items never to recommend to the user (at least the history). */
  exclude: readonly TCsrMatrix[];
  /** Each user's relevant items. */
  target: TCsrMatrix;
  k: number;
  /** Skip users without history (cold start is not what a collaborative model is measured on). */
  requireHistory?: boolean;
};

export type TEvaluation = TRankingMetrics & { users: number; coverage: number };

export const evaluateFullRanking = (input: TEvaluationInput): TEvaluation => {
  const { scorer, history, exclude, target, k } = input;
  const excluded = new Uint8Array(scorer.itemCount);
  const scores = new Float32Array(scorer.itemCount);
  const metrics = createMetricsAccumulator(k, scorer.itemCount);
  for (let user = 0; user < target.rows; user++) {
    const start = target.indptr[user]!;
    const end = target.indptr[user + 1]!;
    if (start === end) continue;
    if (input.requireHistory && history.indptr[user] === history.indptr[user + 1]) continue;
    scorer.scoreUser(user, history, scores);
    for (const m of exclude) {
      for (let e = m.indptr[user]!; e < m.indptr[user + 1]!; e++) {
        scores[m.indices[e]!] = Number.NEGATIVE_INFINITY;
        excluded[m.indices[e]!] = 1;
      }
    }
    // An excluded item can never be recommended, so it is not counted as a target either (a repeat
    // purchase of a known item is not a discovery).
    const relevant = new Set<number>();
    for (let e = start; e < end; e++)
      if (excluded[target.indices[e]!] === 0) relevant.add(target.indices[e]!);
    for (const m of exclude) {
      for (let e = m.indptr[user]!; e < m.indptr[user + 1]!; e++) excluded[m.indices[e]!] = 0;
    }
    metrics.add(selectTopK(scores, k), relevant);
  }
  return metrics.result();
};
