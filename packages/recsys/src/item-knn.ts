// Item-based k-nearest neighbours (Sarwar et al. 2001, "Item-based collaborative filtering
// recommendation algorithms", WWW): cosine similarity between item columns with a shrinkage term in
// the denominator, sim(i, j) = <x_i, x_j> / (||x_i|| ||x_j|| + shrink), which pulls similarities
// computed from few co-occurrences towards 0 (the form RecBole's ItemKNN and Dacrema et al. 2019 use).
// Only each item's top-k neighbours are kept; a user's score for j sums r_ui * sim(i, j) over the
// user's items i.
import { scoreThroughItemRows, type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import {
  clearScratchRow,
  createNeighbourRows,
  createScratchRow,
  pushTopKRow,
  toNeighbourMatrix,
} from "./neighbour-rows.ts";
import type { TScorer } from "./recommender-types.ts";

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
  const scratch = createScratchRow(n);
  const { sums: dots, scores: sims, touched, seen } = scratch;
  const rows = createNeighbourRows(n);
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
    pushTopKRow(rows, i, sims, params.k);
    clearScratchRow(scratch, touchedCount);
  }
  const neighbours = toNeighbourMatrix(rows);
  return {
    itemCount: n,
    neighbours,
    scoreUser(user, history, out) {
      scoreThroughItemRows(history, user, neighbours, out);
    },
  };
};
