// SAR, Smart Adaptive Recommendations (the item-similarity recommender of Microsoft Recommenders,
// described in its SAR deep dive): item-item similarity from co-occurrence counts, C_ij = number of
// users who have both i and j (C_ii = users of i), rescaled by
//   jaccard:      C_ij / (C_ii + C_jj - C_ij)
//   lift:         C_ij / (C_ii C_jj)
//   cooccurrence: C_ij
// with co-occurrences below `threshold` dropped. A user's score for j is sum_i A_ui S_ij over a user
// affinity A, which `timeDecayedAffinity` builds: each event's weight halved every `halfLife` time
// units before `now`, A_ui = sum_events w * 2^(-(now - t) / halfLife). Score with that affinity matrix
// as the `history` argument; the similarity is read from binary interactions.
import { csrFromCoo, type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import type { TInteractionLog } from "./interaction-log.ts";
import {
  accumulateWalkRow,
  clearScratchRow,
  createNeighbourRows,
  createScratchRow,
  endNeighbourRow,
  itemRowsScorer,
} from "./neighbour-rows.ts";
import type { TScorer } from "./recommender-types.ts";

export type TSarParams = {
  similarity: "jaccard" | "lift" | "cooccurrence";
  /** Co-occurrence counts below this are treated as 0 (Microsoft's default 1 keeps all). */
  threshold?: number;
};

export type TSarModel = TScorer & {
  /** items x items similarity, rows sorted by item, the diagonal included (SAR scores seen items too). */
  similarity: TCsrMatrix;
};

export const fitSar = (train: TCsrMatrix, params: TSarParams): TSarModel => {
  const n = train.cols;
  const byItem = transposeCsr(train);
  const threshold = params.threshold ?? 1;
  const occurrences = new Float64Array(n);
  for (let i = 0; i < n; i++) occurrences[i] = byItem.indptr[i + 1]! - byItem.indptr[i]!;
  const scratch = createScratchRow(n);
  const { sums: counts, touched } = scratch;
  const rows = createNeighbourRows(n);
  // Co-occurrence counts: every step weighs 1, and the diagonal is kept.
  const ones = new Float64Array(train.indices.length).fill(1);
  for (let i = 0; i < n; i++) {
    const touchedCount = accumulateWalkRow(scratch, train, byItem, i, ones, ones, false);
    const row = Array.from(touched.subarray(0, touchedCount)).sort((a, b) => a - b);
    // Every co-occurring item above the threshold is kept (no top-k), in item order.
    for (const j of row) {
      const c = counts[j]!;
      if (c < threshold) continue;
      let s = c;
      if (params.similarity === "jaccard") s = c / (occurrences[i]! + occurrences[j]! - c);
      else if (params.similarity === "lift") s = c / (occurrences[i]! * occurrences[j]!);
      rows.indices.push(j);
      rows.values.push(s);
    }
    endNeighbourRow(rows, i);
    clearScratchRow(scratch, touchedCount);
  }
  const { neighbours: similarity, ...scorer } = itemRowsScorer(rows);
  return { ...scorer, similarity };
};

/**
 * users x items affinity of the selected log entries: weight * 2^(-(now - t) / halfLife), summed over
 * repeated events. `now` defaults to the latest selected timestamp (Microsoft's SAR default).
 */
export const timeDecayedAffinity = (
  log: TInteractionLog,
  select: ArrayLike<number>,
  options: { halfLife: number; now?: number },
): TCsrMatrix => {
  let now = options.now ?? Number.NEGATIVE_INFINITY;
  if (options.now === undefined) {
    for (let k = 0; k < select.length; k++) now = Math.max(now, log.timestamps[select[k]!]!);
  }
  const values = new Float32Array(log.weights.length);
  for (let k = 0; k < select.length; k++) {
    const at = select[k]!;
    values[at] = log.weights[at]! * 2 ** (-(now - log.timestamps[at]!) / options.halfLife);
  }
  return csrFromCoo(
    { rows: log.userIds.length, cols: log.itemIds.length },
    { rows: log.users, cols: log.items, values },
    select,
  );
};
