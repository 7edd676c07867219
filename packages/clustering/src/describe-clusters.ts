import { asFloat64, createMatrix, type Matrix } from "./matrix.ts";

export type ClusterSummary = {
  /** Rows per cluster 0..k-1 (noise, label < 0, is counted in `noise`). */
  readonly sizes: Int32Array;
  readonly noise: number;
  /** k x d means of each cluster's rows (zeros for an empty cluster). */
  readonly centroids: Matrix;
};

/** Sizes and mean vectors per cluster: what a segment list shows, for any labelling. */
export function describeClusters(input: Matrix, labels: Int32Array): ClusterSummary {
  const data = asFloat64(input);
  const { rows: n, cols: d, data: x } = data;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} rows`);
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * d);
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l < 0) {
      noise++;
      continue;
    }
    sizes[l]!++;
    for (let c = 0; c < d; c++) sums[l * d + c]! += x[i * d + c]!;
  }
  for (let l = 0; l < k; l++) {
    if (sizes[l] === 0) continue;
    for (let c = 0; c < d; c++) sums[l * d + c]! /= sizes[l]!;
  }
  return { sizes, noise, centroids: createMatrix(k, d, sums) };
}
