// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW, eq. 8):
//   P = (X^T X + lambda I)^-1,  B = I - P diag(1 / diag(P)),  i.e. B_ij = -P_ij / P_jj, B_jj = 0,
// and a user's scores are x_u B. `dropout` p > 0 gives EDLAE (Steck 2020, "Autoencoders that don't
// overfit towards the identity", NeurIPS, section 3): emphasised dropout adds p / (1 - p) * (X^T X)_ii
// to each diagonal entry besides lambda, penalising most the items whose self-reconstruction would be
// easiest. p = 0 is plain EASE. Dense in the number of items, so `maxItems` restricts the model to
// the most popular training items on large catalogues; the others score -Infinity (never ranked).
import type { TCsrMatrix } from "./csr-matrix.ts";
import { invertSpdInPlace } from "./dense-spd-inverse.ts";
import type { TScorer } from "./recommender-types.ts";

export type TEaseParams = { lambda: number; dropout?: number; maxItems?: number };

export type TEaseModel = TScorer & {
  /** Modelled items (global ids), position = row/column of `weights`. */
  items: Int32Array;
  /** Row-major B over `items`. */
  weights: Float32Array;
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
 * Fits EASE. `gram` lets a hyper-parameter search reuse one X^T X across lambdas (it is copied,
 * never modified).
 */
export const fitEase = (
  train: TCsrMatrix,
  params: TEaseParams,
  gram?: { items: Int32Array; matrix: Float64Array },
): TEaseModel => {
  const items = gram?.items ?? selectEaseItems(train, params.maxItems);
  const n = items.length;
  const p = gram ? gram.matrix.slice() : gramMatrix(train, items);
  const emphasis = params.dropout ? params.dropout / (1 - params.dropout) : 0;
  for (let i = 0; i < n; i++) p[i * n + i]! += params.lambda + emphasis * p[i * n + i]!;
  invertSpdInPlace(p, n);
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) weights[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
  }
  const local = new Int32Array(train.cols).fill(-1);
  items.forEach((item, k) => {
    local[item] = k;
  });
  const localScores = new Float64Array(n);
  return {
    itemCount: train.cols,
    items,
    weights,
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
