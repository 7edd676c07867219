// Weighted blend of several fitted models. Raw scores live on unrelated scales (EASE weights, cosine
// sums, dot products), so each model's vector is standardised per user (z-score over its finite
// scores) before weighting; a score a model cannot give (-Infinity, e.g. EASE outside its items)
// counts as that model's lowest score for the user. Weights are meant to be tuned on validation.
import type { TScorer } from "./recommender-types.ts";

export type THybridModel = TScorer & { weights: readonly number[] };

export const fitHybrid = (parts: readonly TScorer[], weights: readonly number[]): THybridModel => {
  if (parts.length === 0 || parts.length !== weights.length) {
    throw new RangeError(
      `hybrid needs one weight per model (${parts.length} models, ${weights.length} weights)`,
    );
  }
  const itemCount = parts[0]!.itemCount;
  const buffer = new Float32Array(itemCount);
  return {
    itemCount,
    weights,
    scoreUser(user, history, out) {
      out.fill(0);
      parts.forEach((part, p) => {
        const w = weights[p]!;
        if (w === 0) return;
        part.scoreUser(user, history, buffer);
        standardiseInPlace(buffer);
        for (let i = 0; i < itemCount; i++) out[i]! += w * buffer[i]!;
      });
    },
  };
};

/** z-scores over the finite entries; non-finite entries become the smallest z-score. */
export const standardiseInPlace = (scores: Float32Array): void => {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const v of scores) {
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
  }
  const mean = n === 0 ? 0 : sum / n;
  const std = n === 0 ? 1 : Math.sqrt(Math.max(sumSq / n - mean * mean, 0)) || 1;
  const floor = n === 0 ? 0 : (min - mean) / std;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    scores[i] = Number.isFinite(v) ? (v - mean) / std : floor;
  }
};
