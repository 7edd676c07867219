// Item x item matrices (item-kNN, RP3beta, SAR) are built one row at a time: a walk item -> user -> item
// accumulates row i into dense scratch arrays, only over the items it touches; the row's entries are
// pushed in item order (like every CSR row here), and only the touched slots are reset for the next
// row, so a row costs O(touched), not O(items).
import { scoreThroughItemRows, type TCsrMatrix } from "./csr-matrix.ts";
import type { TScorer } from "./recommender-types.ts";
import { selectTopK } from "./top-k.ts";

/** Dense scratch for one row: `sums` accumulate, `scores` are what is kept, `touched`/`seen` list the items. */
export type TScratchRow = {
  sums: Float64Array;
  /** -Infinity where untouched, which selectTopK skips. */
  scores: Float32Array;
  touched: Int32Array;
  seen: Uint8Array;
};

export const createScratchRow = (n: number): TScratchRow => ({
  sums: new Float64Array(n),
  scores: new Float32Array(n).fill(Number.NEGATIVE_INFINITY),
  touched: new Int32Array(n),
  seen: new Uint8Array(n),
});

/** Resets the first `touchedCount` touched items' slots, ready for the next row. */
export const clearScratchRow = (scratch: TScratchRow, touchedCount: number): void => {
  const { sums, scores, touched, seen } = scratch;
  for (let t = 0; t < touchedCount; t++) {
    const j = touched[t]!;
    sums[j] = 0;
    seen[j] = 0;
    scores[j] = Number.NEGATIVE_INFINITY;
  }
};

/**
 * Accumulates row `i` of the walk item -> user -> item into `scratch.sums`: for each of i's users u
 * (entry e of `byItem`, the transpose of `train`) and each item j of u (entry f of `train`),
 * sums[j] += itemStep[e] * userStep[f]. `skipSelf` leaves j = i out. Touched items are listed in
 * `scratch.touched` in visit order; returns how many there are.
 */
export const accumulateWalkRow = (
  scratch: TScratchRow,
  train: TCsrMatrix,
  byItem: TCsrMatrix,
  i: number,
  itemStep: Float64Array,
  userStep: Float64Array,
  skipSelf: boolean,
): number => {
  const { sums, touched, seen } = scratch;
  let touchedCount = 0;
  for (let e = byItem.indptr[i]!; e < byItem.indptr[i + 1]!; e++) {
    const u = byItem.indices[e]!;
    const toUser = itemStep[e]!;
    for (let f = train.indptr[u]!; f < train.indptr[u + 1]!; f++) {
      const j = train.indices[f]!;
      if (skipSelf && j === i) continue;
      if (seen[j] === 0) {
        seen[j] = 1;
        touched[touchedCount++] = j;
      }
      sums[j]! += toUser * userStep[f]!;
    }
  }
  return touchedCount;
};

/** The rows pushed so far of an n x n matrix. */
export type TNeighbourRows = { n: number; indptr: Int32Array; indices: number[]; values: number[] };

export const createNeighbourRows = (n: number): TNeighbourRows => ({
  n,
  indptr: new Int32Array(n + 1),
  indices: [],
  values: [],
});

/** Closes row `row` after its entries were pushed. */
export const endNeighbourRow = (rows: TNeighbourRows, row: number): void => {
  rows.indptr[row + 1] = rows.indices.length;
};

/** Pushes row `row` as the `k` highest finite `scores` (ties to the lower item), in item order. */
export const pushTopKRow = (rows: TNeighbourRows, row: number, scores: Float32Array, k: number): void => {
  const best = selectTopK(scores, k);
  for (const j of Array.from(best).sort((a, b) => a - b)) {
    rows.indices.push(j);
    rows.values.push(scores[j]!);
  }
  endNeighbourRow(rows, row);
};

export const toNeighbourMatrix = (rows: TNeighbourRows): TCsrMatrix => ({
  rows: rows.n,
  cols: rows.n,
  indptr: rows.indptr,
  indices: Int32Array.from(rows.indices),
  values: Float32Array.from(rows.values),
});

/**
 * The finished rows W as a model: a user's score for j sums r_ui W_ij over the user's items i, which
 * is how item-kNN, RP3beta and SAR all score.
 */
export const itemRowsScorer = (rows: TNeighbourRows): TScorer & { neighbours: TCsrMatrix } => {
  const neighbours = toNeighbourMatrix(rows);
  return {
    itemCount: rows.n,
    neighbours,
    scoreUser(user, history, out) {
      scoreThroughItemRows(history, user, neighbours, out);
    },
  };
};
