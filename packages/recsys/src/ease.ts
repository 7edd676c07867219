// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW, eq. 8):
//   P = (X^T X + lambda I)^-1,  B = I - P diag(1 / diag(P)),  i.e. B_ij = -P_ij / P_jj, B_jj = 0,
// and a user's scores are x_u B. `dropout` p > 0 gives EDLAE (Steck 2020, "Autoencoders that don't
// overfit towards the identity", NeurIPS, section 3): emphasised dropout adds p / (1 - p) * (X^T X)_ii
// to each diagonal entry besides lambda, penalising most the items whose self-reconstruction would be
// easiest. p = 0 is plain EASE. Dense in the number of items, so `maxItems` restricts the model to
// the most popular training items on large catalogues; the others score -Infinity (never ranked).
//
// Two optional normalisations, both 0 (off) by default and meant to be chosen on validation:
// - `userWeightExponent` a: each user's row of X is scaled by |u|^-a before X^T X, so heavy users'
//   co-occurrences count less (the user-side counterpart of the damping below). The weights are
//   rescaled so their squares average 1 over the interactions, which keeps lambda on the same scale.
// - `popularityExponent` b: column j of B is divided by pop_j^b (pop_j = training users of j, at
//   least 1), the popularity damping RP3beta applies to its scores (Paudel et al. 2017, TiiS 7(1):1,
//   "RP3beta"). It is a column scaling of B, so the model serves through the same item-item weights.
// On movielens-100k (RecBole split, 5 seeds, chosen per seed on validation NDCG@10) the two together
// lifted EDLAE's test NDCG@10 from 0.3276 to about 0.331 (bench/recsys.bench.ts, "EDLAE-norm").
import type { TCsrMatrix } from "./csr-matrix.ts";
import { invertSpdInPlace } from "./dense-spd-inverse.ts";
import type { TScorer } from "./recommender-types.ts";

export type TEaseParams = {
  lambda: number;
  dropout?: number;
  maxItems?: number;
  userWeightExponent?: number;
  popularityExponent?: number;
};

/** X^T X over the modelled items, for reuse across fits; made for one `userWeightExponent`. */
export type TEaseGram = { items: Int32Array; matrix: Float64Array; userWeightExponent?: number };

export type TEaseModel = TScorer & {
  /** Modelled items (global ids), position = row/column of `weights`. */
  items: Int32Array;
  /** Row-major B over `items` (columns already divided by pop^popularityExponent). */
  weights: Float32Array;
  /** Training users per modelled item (>= 1), the base of the popularity damping. */
  popularity: Float32Array;
  popularityExponent: number;
};

/** The training items EASE models: all, or the `maxItems` most interacted with (ties: lower id). */
export const selectEaseItems = (train: TCsrMatrix, maxItems?: number): Int32Array => {
  const counts = new Float64Array(train.cols);
  for (const item of train.indices) counts[item]!++;
  const all = Array.from({ length: train.cols }, (_, i) => i);
  if (maxItems === undefined || maxItems >= train.cols) return Int32Array.from(all);
  const top = all.sort((a, b) => counts[b]! - counts[a]! || a - b).slice(0, maxItems);
  return Int32Array.from(top.sort((a, b) => a - b));
};

/** Dense Gram matrix X^T X over `items` (lower triangle filled), Float64 for the inversion. */
export const gramMatrix = (train: TCsrMatrix, items: Int32Array): Float64Array => {
  const n = items.length;
  const local = new Int32Array(train.cols).fill(-1);
  items.forEach((item, k) => {
    local[item] = k;
  });
  const g = new Float64Array(n * n);
  const rowLocal = new Int32Array(train.cols);
  const rowValues = new Float64Array(train.cols);
  for (let u = 0; u < train.rows; u++) {
    let len = 0;
    for (let e = train.indptr[u]!; e < train.indptr[u + 1]!; e++) {
      const k = local[train.indices[e]!]!;
      if (k < 0) continue;
      rowLocal[len] = k;
      rowValues[len++] = train.values[e]!;
    }
    // Row entries are sorted by item and `items` is sorted, so rowLocal is ascending: a >= b below.
    for (let p = 0; p < len; p++) {
      const base = rowLocal[p]! * n;
      const vp = rowValues[p]!;
      for (let q = 0; q <= p; q++) g[base + rowLocal[q]!]! += vp * rowValues[q]!;
    }
  }
  return g;
};

/**
 * `train` with row u's values multiplied by c |u|^-a, c such that the squared weights average 1 over
 * all stored entries (a = 0 returns `train` itself).
 */
export const weightUserRows = (train: TCsrMatrix, a: number): TCsrMatrix => {
  if (a === 0) return train;
  const values = new Float32Array(train.values.length);
  let sumSquares = 0;
  for (let u = 0; u < train.rows; u++) {
    const start = train.indptr[u]!;
    const end = train.indptr[u + 1]!;
    const w = (end - start) ** -a;
    for (let e = start; e < end; e++) values[e] = train.values[e]! * w;
    sumSquares += (end - start) * w * w;
  }
  const scale = sumSquares > 0 ? Math.sqrt(values.length / sumSquares) : 1;
  for (let e = 0; e < values.length; e++) values[e]! *= scale;
  return { ...train, values };
};

/** The Gram matrix a fit with these `params` needs, to share across lambdas and dropouts. */
export const easeGram = (
  train: TCsrMatrix,
  params: Pick<TEaseParams, "maxItems" | "userWeightExponent">,
): TEaseGram => {
  const items = selectEaseItems(train, params.maxItems);
  const a = params.userWeightExponent ?? 0;
  return { items, matrix: gramMatrix(weightUserRows(train, a), items), userWeightExponent: a };
};

/**
 * Fits EASE. `gram` lets a hyper-parameter search reuse one X^T X across lambdas (it is copied,
 * never modified).
 */
export const fitEase = (train: TCsrMatrix, params: TEaseParams, gram?: TEaseGram): TEaseModel => {
  const a = params.userWeightExponent ?? 0;
  if (gram && (gram.userWeightExponent ?? 0) !== a) {
    throw new RangeError(
      `the Gram matrix was made with userWeightExponent ${gram.userWeightExponent ?? 0}, the fit asks for ${a}`,
    );
  }
  const { items, matrix } = gram ?? easeGram(train, params);
  const n = items.length;
  const p = matrix.slice();
  const emphasis = params.dropout ? params.dropout / (1 - params.dropout) : 0;
  for (let i = 0; i < n; i++) p[i * n + i]! += params.lambda + emphasis * p[i * n + i]!;
  invertSpdInPlace(p, n);
  const popularity = new Float32Array(n);
  const counts = new Float64Array(train.cols);
  for (const item of train.indices) counts[item]!++;
  items.forEach((item, k) => {
    popularity[k] = Math.max(counts[item]!, 1);
  });
  const b = params.popularityExponent ?? 0;
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      weights[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]! / popularity[j]! ** b;
    }
  }
  return easeScorer(train.cols, items, weights, popularity, b);
};

/**
 * The same model with another popularity exponent: its columns rescaled by pop^-(b - current b),
 * without solving again (a search over b costs one inversion per lambda, not one per point).
 */
export const withPopularityExponent = (model: TEaseModel, b: number): TEaseModel => {
  const n = model.items.length;
  const weights = new Float32Array(n * n);
  const factor = Float64Array.from(model.popularity, (pop) => pop ** -(b - model.popularityExponent));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weights[i * n + j] = model.weights[i * n + j]! * factor[j]!;
  }
  return easeScorer(model.itemCount, model.items, weights, model.popularity, b);
};

const easeScorer = (
  itemCount: number,
  items: Int32Array,
  weights: Float32Array,
  popularity: Float32Array,
  popularityExponent: number,
): TEaseModel => {
  const n = items.length;
  const local = new Int32Array(itemCount).fill(-1);
  items.forEach((item, k) => {
    local[item] = k;
  });
  const localScores = new Float64Array(n);
  return {
    itemCount,
    items,
    weights,
    popularity,
    popularityExponent,
    scoreUser(user, history, out) {
      localScores.fill(0);
      for (let e = history.indptr[user]!; e < history.indptr[user + 1]!; e++) {
        const k = local[history.indices[e]!]!;
        if (k < 0) continue;
        const r = history.values[e]!;
        const row = k * n;
        for (let j = 0; j < n; j++) localScores[j]! += r * weights[row + j]!;
      }
      out.fill(Number.NEGATIVE_INFINITY);
      for (let k = 0; k < n; k++) out[items[k]!] = localScores[k]!;
    },
  };
};
