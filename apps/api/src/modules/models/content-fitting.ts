// The content model's side of training: item features aligned with the interaction log, the
// popularity feature rebuilt from the training split while evaluating (so held-out interactions do
// not leak into the features the model is measured with), and the new-item protocol: a share of the
// items held out with all their interactions, their features still visible, ranked among themselves.
// Pure: the training job reads the feature set and passes it in.
import type { TCsrMatrix } from "@dam/recsys/csr-matrix";
import { evaluateFullRanking, type TEvaluation } from "@dam/recsys/evaluate-ranking";
import { matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { createRng } from "@dam/recsys/prng";
import type { TScorer } from "@dam/recsys/recommender-types";
import { sampleIndices } from "@dam/vocabulary/prng";

/** A feature set (or embedding set) as the training job hands it to the fit. */
export type TContentFeatures = {
  setId: string;
  /** "FEATURE_SET" or "EMBEDDING_SET". */
  source: string;
  ids: string[];
  data: Float32Array;
  dimension: number;
  blocks: { name: string; offset: number; width: number }[];
  /**
   * Where the fused popularity feature sits and how it was encoded (fusion-matrix.ts: the z-score of
   * log1p(events) times weight / sqrt(width)); null when the set has none.
   */
  popularity: { column: number; mean: number; sd: number; scale: number } | null;
};

/** The log with the feature set's items it lacks appended (no interactions): the content model scores them too. */
export const logWithFeatureItems = (log: TInteractionLog, features: TContentFeatures): TInteractionLog => {
  const extra = features.ids.filter((id) => !log.itemIndex.has(id));
  if (extra.length === 0) return log;
  const itemIds = [...log.itemIds, ...new Set(extra)];
  return { ...log, itemIds, itemIndex: new Map(itemIds.map((id, i) => [id, i])) };
};

/** Row i = the features of log item i (zeros when the set has no row for it), and how many had none. */
export const alignFeatures = (itemIds: readonly string[], features: TContentFeatures) => {
  const d = features.dimension;
  const rowOf = new Map<string, number>();
  features.ids.forEach((id, row) => {
    if (!rowOf.has(id)) rowOf.set(id, row);
  });
  const data = new Float32Array(itemIds.length * d);
  let missing = 0;
  itemIds.forEach((id, i) => {
    const row = rowOf.get(id);
    if (row === undefined) {
      missing++;
      return;
    }
    data.set(features.data.subarray(row * d, (row + 1) * d), i * d);
  });
  return { data, rows: itemIds.length, dimension: d, missing };
};

/**
 * A copy of `x` whose popularity feature counts only the training interactions: the same encoding as
 * the fusion job, with the training split's interactions per item scaled by `eventsPerInteraction`
 * (the fusion job counted events, the log holds user-item pairs).
 */
export const withTrainingPopularity = (
  x: { data: Float32Array; rows: number; dimension: number },
  popularity: TContentFeatures["popularity"],
  train: TCsrMatrix,
  eventsPerInteraction: number,
) => {
  if (!popularity) return x;
  const counts = new Float64Array(x.rows);
  for (const item of train.indices) counts[item]!++;
  const data = Float32Array.from(x.data);
  const { column, mean, sd, scale } = popularity;
  for (let i = 0; i < x.rows; i++) {
    data[i * x.dimension + column] = ((Math.log1p(counts[i]! * eventsPerInteraction) - mean) / sd) * scale;
  }
  return { data, rows: x.rows, dimension: x.dimension };
};

export type TNewItemSplit = {
  /** Internal ids of the held-out items. */
  items: Int32Array;
  /** Log entries not touching a held-out item (the model's training). */
  train: number[];
  /** Log entries on held-out items (the targets). */
  target: number[];
};

/** Holds out `share` of the items that have interactions (seeded), with every interaction they have. */
export const newItemSplit = (log: TInteractionLog, share: number, seed: number): TNewItemSplit => {
  const interacted = new Uint8Array(log.itemIds.length);
  for (const item of log.items) interacted[item] = 1;
  const candidates = Array.from(interacted.keys()).filter((i) => interacted[i] === 1);
  const take = Math.max(1, Math.round(candidates.length * share));
  const picked = sampleIndices(createRng(seed ^ 0x5eed), candidates.length, take);
  const held = new Uint8Array(log.itemIds.length);
  const items = Int32Array.from(picked, (p) => candidates[p]!).sort();
  for (const item of items) held[item] = 1;
  const train: number[] = [];
  const target: number[] = [];
  for (let e = 0; e < log.items.length; e++) (held[log.items[e]!] ? target : train).push(e);
  return { items, train, target };
};

/** The scorer with every item outside `allowed` scored -Infinity (ranking among the new items only). */
const restrictedScorer = (scorer: TScorer, allowed: Uint8Array): TScorer => ({
  itemCount: scorer.itemCount,
  scoreUser(user, history, out) {
    scorer.scoreUser(user, history, out);
    for (let i = 0; i < out.length; i++) if (allowed[i] === 0) out[i] = Number.NEGATIVE_INFINITY;
  },
});

export type TNewItemMetrics = {
  items: number;
  users: number;
  /** The content model ranking the held-out items by their features alone. */
  model: TEvaluation;
  /**
   * Popularity restricted to the new items: ranks them by the interactions they received after being
   * held out, which no model has on day one (an upper reference, not a deployable baseline).
   */
  popularity: TEvaluation;
  /** Expected Recall@k of a uniformly random ranking of the new items: k / |new items| (capped at 1). */
  randomRecall: number;
};

/**
 * The new-item protocol: `fit` trains on every interaction not touching the held-out items; each user
 * with interactions on held-out items is ranked over the held-out items only, with their remaining
 * history as input.
 */
export const evaluateNewItems = (input: {
  log: TInteractionLog;
  split: TNewItemSplit;
  k: number;
  fit: (train: TCsrMatrix) => TScorer;
}): TNewItemMetrics => {
  const { log, split, k } = input;
  const train = matrixFromLog(log, split.train);
  const target = matrixFromLog(log, split.target);
  const allowed = new Uint8Array(log.itemIds.length);
  for (const item of split.items) allowed[item] = 1;
  const measure = (scorer: TScorer) =>
    evaluateFullRanking({
      scorer: restrictedScorer(scorer, allowed),
      history: train,
      exclude: [],
      target,
      k,
      requireHistory: true,
    });
  const counts = new Float32Array(log.itemIds.length);
  for (const item of target.indices) counts[item]!++;
  const popularity: TScorer = {
    itemCount: counts.length,
    scoreUser: (_u, _h, out) => out.set(counts),
  };
  const model = measure(input.fit(train));
  return {
    items: split.items.length,
    users: model.users,
    model,
    popularity: measure(popularity),
    randomRecall: Math.min(1, k / Math.max(1, split.items.length)),
  };
};
