// Small matrices with known structure, shared by the model tests.
import { csrFromCoo, type TCsrMatrix } from "./csr-matrix.ts";

/**
 * Two blocks: users 0-5 interact with items 0-4, users 6-11 with items 5-9 (an exact rank-2
 * pattern). Each user leaves out one item of its block (`heldOut[u]`), which trains nothing.
 */
export const twoBlockMatrix = (): { train: TCsrMatrix; heldOut: Int32Array } => {
  const rows: number[] = [];
  const cols: number[] = [];
  const heldOut = new Int32Array(12);
  for (let u = 0; u < 12; u++) {
    const first = u < 6 ? 0 : 5;
    heldOut[u] = first + (u % 5);
    for (let i = first; i < first + 5; i++) {
      if (i === heldOut[u]) continue;
      rows.push(u);
      cols.push(i);
    }
  }
  const values = rows.map(() => 1);
  return { train: csrFromCoo({ rows: 12, cols: 10 }, { rows, cols, values }), heldOut };
};

/** Rank (0 = best) of `item` among the items the user has not interacted with in `train`. */
export const rankAmongUnseen = (scores: Float32Array, train: TCsrMatrix, user: number, item: number) => {
  const seen = new Set(train.indices.subarray(train.indptr[user]!, train.indptr[user + 1]!));
  let rank = 0;
  for (let j = 0; j < scores.length; j++) {
    if (j !== item && !seen.has(j) && scores[j]! >= scores[item]!) rank++;
  }
  return rank;
};
