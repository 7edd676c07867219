// Item-based k-nearest neighbours (Sarwar et al. 2001, "Item-based collaborative filtering
// recommendation algorithms", WWW): cosine similarity between item columns with a shrinkage term in
// the denominator, sim(i, j) = <x_i, x_j> / (||x_i|| ||x_j|| + shrink), which pulls similarities
// computed from few co-occurrences towards 0 (the form RecBole's ItemKNN and Dacrema et al. 2019 use).
// Only each item's top-k neighbours are kept; a user's score for j sums r_ui * sim(i, j) over the
// user's items i.
import { type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import {
  accumulateWalkRow,
  clearScratchRow,
  createNeighbourRows,
  createScratchRow,
  itemRowsScorer,
  pushTopKRow,
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
  const { sums: dots, scores: sims, touched } = scratch;
  const rows = createNeighbourRows(n);
  // sum_u r_ui r_uj: both steps are the stored ratings.
  const itemStep = Float64Array.from(byItem.values);
  const userStep = Float64Array.from(train.values);
  for (let i = 0; i < n; i++) {
    const touchedCount = accumulateWalkRow(scratch, train, byItem, i, itemStep, userStep, true);
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      sims[j] = dots[j]! / (norms[i]! * norms[j]! + params.shrink);
    }
    pushTopKRow(rows, i, sims, params.k);
    clearScratchRow(scratch, touchedCount);
  }
  return itemRowsScorer(rows);
};
