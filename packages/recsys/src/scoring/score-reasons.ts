// Why an item was chosen, per kind of model: the terms of its score that the answer names. Each
// function splits a score into parts that sum to it (or to its share of it) and keeps the largest.
import type { TArtifactContent, TModelArtifact } from "../model-artifact.ts";
import type { TUserQuery } from "./factor-fold-in.ts";
import type { THistory, TReason } from "./scorer-types.ts";

/** The `keep` reasons of largest weight, largest first. */
export const strongestReasons = <T extends TReason>(reasons: T[], keep: number): T[] =>
  reasons.sort((p, q) => q.weight - p.weight).slice(0, keep);

/** The latent factors contributing most to query . y_item: the "features" behind a factor score. */
export const topFactorReasons = (
  query: Float32Array,
  itemFactors: Float32Array,
  item: number,
  dim: number,
  keep: number,
): TReason[] => {
  const reasons: TReason[] = [];
  for (let r = 0; r < dim; r++)
    reasons.push({ kind: "LATENT_FACTOR", factor: r, weight: query[r]! * itemFactors[item * dim + r]! });
  return strongestReasons(reasons, keep);
};

/**
 * A folded-in score split into one term per history item, y_i . w_h with w_h = A^-1 (c_h y_h)
 * (Hu, Koren & Volinsky 2008, section 5): the clicked items that drove it.
 */
export const historyShareReasons = (
  itemFactors: Float32Array,
  item: number,
  dim: number,
  history: THistory,
  shares: Float32Array,
  keep: number,
): TReason[] => {
  const y = item * dim;
  const reasons: TReason[] = [];
  for (let h = 0; h < history.items.length; h++) {
    let s = 0;
    for (let r = 0; r < dim; r++) s += itemFactors[y + r]! * shares[h * dim + r]!;
    reasons.push({ kind: "HISTORY_ITEM", item: history.items[h]!, weight: s });
  }
  return strongestReasons(reasons, keep);
};

/** A factor score's reasons: its history items after a fold-in, else its strongest latent factors. */
export const userQueryReasons = (
  factors: NonNullable<TModelArtifact["factors"]>,
  item: number,
  query: TUserQuery,
  keep: number,
): TReason[] =>
  query.shares && query.history
    ? historyShareReasons(factors.item, item, factors.dim, query.history, query.shares, keep)
    : topFactorReasons(query.vector, factors.item, item, factors.dim, keep);

/** The history items whose neighbour rows list `item`, each with its weighted neighbour weight. */
export const neighbourReasons = (
  neighbours: NonNullable<TModelArtifact["neighbours"]>,
  item: number,
  history: THistory,
  keep: number,
): TReason[] => {
  const { k, index, weight } = neighbours;
  const reasons: TReason[] = [];
  for (let h = 0; h < history.items.length; h++) {
    const base = history.items[h]! * k;
    for (let t = 0; t < k; t++) {
      if (index[base + t] === item) {
        reasons.push({
          kind: "HISTORY_ITEM",
          item: history.items[h]!,
          weight: history.weights[h]! * weight[base + t]!,
        });
      }
    }
  }
  return strongestReasons(reasons, keep);
};

/** Each feature block's share sum_{k in block} x_ik q_k of a content score, positive ones only. */
export const featureBlockReasons = (
  blocks: TArtifactContent["blocks"],
  features: Float32Array,
  dim: number,
  item: number,
  query: Float32Array,
  keep: number,
): TReason[] => {
  const reasons: TReason[] = blocks.map((block, b) => {
    let s = 0;
    for (let k = block.offset; k < block.offset + block.width; k++)
      s += features[item * dim + k]! * query[k]!;
    return { kind: "FEATURE_BLOCK", block: b, weight: s };
  });
  return strongestReasons(
    reasons.filter((reason) => reason.weight > 0),
    keep,
  );
};
