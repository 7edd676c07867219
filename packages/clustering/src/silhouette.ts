import { type Matrix, pairwiseDistances, selectRows } from "./matrix.ts";
import { createRng, sampleIndices } from "./prng.ts";

// Silhouette (Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of
// cluster analysis", J. Comput. Appl. Math. 1987): for point i with mean distance a(i) to its own
// cluster and smallest mean distance b(i) to another cluster, s(i) = (b - a) / max(a, b).
// A point alone in its cluster gets s(i) = 0, as in the paper. Labels < 0 (DBSCAN noise) are left
// out of both the scores and the means.

export type SilhouetteResult = {
  /** s(i) per scored point (NaN for excluded noise points). */
  readonly scores: Float64Array;
  /** Mean s(i) over scored points; NaN with fewer than 2 clusters. */
  readonly mean: number;
};

/** Silhouette from a precomputed n x n distance table (see `pairwiseDistances`). */
export function silhouetteFromDistances(distances: Float64Array, labels: Int32Array): SilhouetteResult {
  const n = labels.length;
  if (distances.length !== n * n) throw new RangeError(`distance table needs ${n * n} values`);
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) sizes[labels[i]!]!++;
  const scores = new Float64Array(n).fill(Number.NaN);
  let present = 0;
  for (let c = 0; c < k; c++) if (sizes[c]! > 0) present++;
  if (present < 2) return { scores, mean: Number.NaN };

  const sums = new Float64Array(k);
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    if (own < 0) continue;
    sums.fill(0);
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const l = labels[j]!;
      if (l >= 0) sums[l]! += distances[row + j]!;
    }
    let s = 0;
    if (sizes[own]! > 1) {
      const a = sums[own]! / (sizes[own]! - 1);
      let b = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
      }
      const denom = Math.max(a, b);
      s = denom > 0 ? (b - a) / denom : 0;
    }
    scores[i] = s;
    total += s;
    counted++;
  }
  return { scores, mean: total / counted };
}

/** Exact silhouette: O(n^2 d) time and an n x n float64 table, fine up to a few thousand points. */
export function computeSilhouette(data: Matrix, labels: Int32Array): SilhouetteResult {
  if (labels.length !== data.rows) throw new RangeError(`${labels.length} labels for ${data.rows} rows`);
  return silhouetteFromDistances(pairwiseDistances(data), labels);
}

export type SampledSilhouetteOptions = { readonly sampleSize?: number; readonly seed?: number };

/**
 * Mean silhouette of a seeded uniform sample (points and their labels), the estimator scikit-learn
 * offers through `sample_size`; exact when n <= sampleSize. 2000 points keep the table at 32 MB.
 */
export function computeSampledSilhouette(
  data: Matrix,
  labels: Int32Array,
  options: SampledSilhouetteOptions = {},
): number {
  const sampleSize = options.sampleSize ?? 2000;
  if (data.rows <= sampleSize) return computeSilhouette(data, labels).mean;
  const idx = sampleIndices(createRng(options.seed ?? 0), data.rows, sampleSize);
  const sampleLabels = new Int32Array(sampleSize);
  for (let r = 0; r < sampleSize; r++) sampleLabels[r] = labels[idx[r]!]!;
  return computeSilhouette(selectRows(data, idx), sampleLabels).mean;
}
