// Exact cosine top-k by a linear scan over a row-major matrix, keeping the k best in a min-heap
// (O(n d + n log k)). For catalogue-sized matrices (10^4-10^5 rows) this is the reference the ANN index
// is measured against.

import { dot, norm } from "./vector-norm.ts";

export type TMatrix = { data: Float32Array; rows: number; dimension: number };
export type TTopK = { indices: Int32Array; scores: Float32Array };

/** Copies equal-length vectors into one row-major matrix. */
export const stackRows = (vectors: readonly Float32Array[], dimension = vectors[0]?.length ?? 0): TMatrix => {
  const data = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimension)
      throw new RangeError(`row ${row} has length ${vector.length}, not ${dimension}`);
    data.set(vector, row * dimension);
  });
  return { data, rows: vectors.length, dimension };
};

// Heap order: worse = lower score, or equal score and higher row index (so ties keep the lower index).
const worse = (scores: Float32Array, indices: Int32Array, a: number, b: number): boolean =>
  scores[a]! < scores[b]! || (scores[a] === scores[b] && indices[a]! > indices[b]!);

const swap = (scores: Float32Array, indices: Int32Array, a: number, b: number): void => {
  [scores[a], scores[b]] = [scores[b]!, scores[a]!];
  [indices[a], indices[b]] = [indices[b]!, indices[a]!];
};

const siftDown = (scores: Float32Array, indices: Int32Array, size: number): void => {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    const right = left + 1;
    let worst = at;
    if (left < size && worse(scores, indices, left, worst)) worst = left;
    if (right < size && worse(scores, indices, right, worst)) worst = right;
    if (worst === at) return;
    swap(scores, indices, at, worst);
    at = worst;
  }
};

const siftUp = (scores: Float32Array, indices: Int32Array, from: number): void => {
  let at = from;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(scores, indices, at, parent)) return;
    swap(scores, indices, at, parent);
    at = parent;
  }
};

/**
 * The k rows most cosine-similar to `query`, best first (ties: lower row index first). Rows or a query
 * with zero norm score 0. `exclude` skips rows (e.g. the query item itself).
 */
export const cosineTopK = (
  query: Float32Array,
  matrix: TMatrix,
  k: number,
  exclude?: ReadonlySet<number>,
): TTopK => {
  const { data, rows, dimension } = matrix;
  if (query.length !== dimension)
    throw new RangeError(`query has length ${query.length}, matrix rows ${dimension}`);
  const queryNorm = norm(query);
  const capacity = Math.max(0, Math.min(k, rows));
  const scores = new Float32Array(capacity);
  const indices = new Int32Array(capacity);
  let size = 0;
  for (let row = 0; row < rows && capacity > 0; row++) {
    if (exclude?.has(row)) continue;
    const vector = data.subarray(row * dimension, (row + 1) * dimension);
    const denominator = queryNorm * norm(vector);
    const score = denominator === 0 ? 0 : dot(query, vector) / denominator;
    if (size < capacity) {
      scores[size] = score;
      indices[size] = row;
      siftUp(scores, indices, size++);
    } else if (score > scores[0]!) {
      scores[0] = score;
      indices[0] = row;
      siftDown(scores, indices, size);
    }
  }
  // Pop the heap from worst to best into the tail of the result.
  const outScores = new Float32Array(size);
  const outIndices = new Int32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    outScores[end] = scores[0]!;
    outIndices[end] = indices[0]!;
    swap(scores, indices, 0, end);
    siftDown(scores, indices, end);
  }
  return { indices: outIndices, scores: outScores };
};
