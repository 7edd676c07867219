import { asFloat64, type Matrix } from "./matrix.ts";

export type Assignment = {
  /** Index of the nearest centroid per row. */
  readonly labels: Int32Array;
  /** Squared distance of each row to its centroid. */
  readonly distances: Float64Array;
  /** Sum of `distances` (the k-means objective). */
  readonly inertia: number;
  /** Rows whose label differs from the `previous` labels passed in (n when none were). */
  readonly changed: number;
};

/**
 * Nearest-centroid assignment. The previous label (when given) is measured first so its distance
 * becomes a tight bound, and every other centroid's partial sum stops as soon as it passes the
 * bound (partial distance search, Bei & Gray, IEEE Trans. Commun. 1985): same result as the full
 * scan, fewer multiplications once clusters settle.
 */
export function assignToCentroids(
  input: Matrix,
  centroids: Float64Array,
  k: number,
  previous?: Int32Array,
): Assignment {
  const data = asFloat64(input);
  const { rows: n, cols: d, data: x } = data;
  if (centroids.length !== k * d)
    throw new RangeError(`centroids need ${k * d} values, got ${centroids.length}`);
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  let inertia = 0;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const start = previous ? previous[i]! : 0;
    let bestLabel = start;
    let best = 0;
    const sc = start * d;
    for (let c = 0; c < d; c++) {
      const diff = x[xi + c]! - centroids[sc + c]!;
      best += diff * diff;
    }
    for (let j = 0; j < k; j++) {
      if (j === start) continue;
      const cj = j * d;
      let sum = 0;
      let c = 0;
      for (; c < d; c++) {
        const diff = x[xi + c]! - centroids[cj + c]!;
        sum += diff * diff;
        if (sum >= best) break;
      }
      if (c === d && sum < best) {
        best = sum;
        bestLabel = j;
      }
    }
    labels[i] = bestLabel;
    distances[i] = best;
    inertia += best;
    if (!previous || previous[i] !== bestLabel) changed++;
  }
  return { labels, distances, inertia, changed };
}
