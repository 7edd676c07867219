// Item-based k-nearest neighbours (Sarwar et al. 2001, "Item-based collaborative filtering
// recommendation algorithms", WWW): cosine similarity between item columns with a shrinkage term in
// the denominator, sim(i, j) = <x_i, x_j> / (||x_i|| ||x_j|| + shrink), which pulls similarities
// computed from few co-occurrences towards 0 (the form RecBole's ItemKNN and Dacrema et al. 2019 use).
// Only each item's top-k neighbours are kept; a user's score for j sums r_ui * sim(i, j) over the
// user's items i.
import { scoreThroughItemRows, type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import type { TScorer } from "./recommender-types.ts";
import { selectTopK } from "./top-k.ts";

export type TItemKnnParams = { k: number; shrink: number };

export type TItemKnnModel = TScorer & {
  /** items x items, row i = i's neighbours and similarities. */
  neighbours: TCsrMatrix;
};

export const fitItemKnn = (train: TCsrMatrix, params: TItemKnnParams): TItemKnnModel => {
  const n = train.cols;
  const byItem = transposeCsr(train);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) s += byItem.values[e]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  const dots = new Float64Array(n);
  const sims = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  const touched = new Int32Array(n);
  const seen = new Uint8Array(n);
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    let touchedCount = 0;
    for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) {
      const user = byItem.indices[e]!;
      const ri = byItem.values[e]!;
      for (let f = train.indptr[user]!; f < train.indptr[user + 1]!; f++) {
        const j = train.indices[f]!;
        if (j === i) continue;
        if (seen[j] === 0) {
          seen[j] = 1;
          touched[touchedCount++] = j;
        }
        dots[j]! += ri * train.values[f]!;
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      sims[j] = dots[j]! / (norms[i]! * norms[j]! + params.shrink);
    }
    const best = selectTopK(sims, params.k);
    // Neighbour lists sorted by item id, like every CSR row here.
    for (const j of Array.from(best).sort((a, b) => a - b)) {
      indices.push(j);
      values.push(sims[j]!);
    }
    indptr[i + 1] = indices.length;
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      dots[j] = 0;
      seen[j] = 0;
      sims[j] = Number.NEGATIVE_INFINITY;
    }
  }
  const neighbours: TCsrMatrix = {
    rows: n,
    cols: n,
    indptr,
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
  return {
    itemCount: n,
    neighbours,
    scoreUser(user, history, out) {
      scoreThroughItemRows(history, user, neighbours, out);
    },
  };
};
