// RP3beta (Paudel, Christoffel, Newell & Bernstein 2017, "Updatable, accurate, diverse, and scalable
// recommendations for interactive applications", ACM TiiS 7(1), section 4; the form Dacrema, Cremonesi &
// Jannach 2019 benchmark): a three-step random walk item -> user -> item on the bipartite interaction
// graph, each transition probability raised to `alpha`, and the arrival item's popularity divided out
// to the power `beta`:
//   W_ij = sum_u (r_ui / deg(i))^alpha (r_uj / deg(u))^alpha / deg(j)^beta,   i != j
// where deg counts an item's users and a user's items (binary interactions give r = 1). Only each row's
// `k` largest weights are kept; a user's score for j sums W_ij over the user's items i (times r_ui).
// beta = 0, alpha = 1 is P3alpha's plain random walk; beta > 0 lifts the long tail.
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

export type TRp3betaParams = { alpha: number; beta: number; k: number };

export type TRp3betaModel = TScorer & {
  /** items x items, row i = the kept W_ij. */
  neighbours: TCsrMatrix;
};

export const fitRp3beta = (train: TCsrMatrix, params: TRp3betaParams): TRp3betaModel => {
  const n = train.cols;
  const byItem = transposeCsr(train);
  const { alpha, beta, k } = params;
  // Row sums of the transition matrices (weighted degrees).
  const userDegree = new Float64Array(train.rows);
  for (let u = 0; u < train.rows; u++) {
    for (let e = train.indptr[u]!; e < train.indptr[u + 1]!; e++) userDegree[u]! += train.values[e]!;
  }
  const itemDegree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) itemDegree[i]! += byItem.values[e]!;
  }
  const popularityPenalty = Float64Array.from(itemDegree, (d) => (d > 0 ? d ** -beta : 0));
  // The user -> item step of every stored entry, (r_uj / deg(u))^alpha, computed once (the walk visits
  // each entry once per item of the user, so the power stays out of the inner loop).
  const userStep = new Float64Array(train.indices.length);
  for (let u = 0; u < train.rows; u++) {
    for (let e = train.indptr[u]!; e < train.indptr[u + 1]!; e++) {
      userStep[e] = (train.values[e]! / userDegree[u]!) ** alpha;
    }
  }
  // The item -> user step of every stored entry, (r_ui / deg(i))^alpha.
  const itemStep = new Float64Array(byItem.indices.length);
  for (let i = 0; i < n; i++) {
    for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) {
      itemStep[e] = (byItem.values[e]! / itemDegree[i]!) ** alpha;
    }
  }
  const scratch = createScratchRow(n);
  const { sums: acc, scores: weights, touched } = scratch;
  const rows = createNeighbourRows(n);
  for (let i = 0; i < n; i++) {
    const touchedCount = accumulateWalkRow(scratch, train, byItem, i, itemStep, userStep, true);
    for (let t = 0; t < touchedCount; t++) {
      const j = touched[t]!;
      weights[j] = acc[j]! * popularityPenalty[j]!;
    }
    pushTopKRow(rows, i, weights, k);
    clearScratchRow(scratch, touchedCount);
  }
  return itemRowsScorer(rows);
};
