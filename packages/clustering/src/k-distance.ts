import { asFloat64, type Matrix, squaredDistance } from "./matrix.ts";
import { createRng, sampleIndices } from "./prng.ts";

export type KDistanceOptions = {
  /** At most this many query rows (a seeded sample); neighbours are always searched among all rows. */
  readonly sampleSize?: number;
  readonly seed?: number;
};

/**
 * Distance from each (sampled) row to its k-th nearest other row, sorted ascending: the "sorted
 * k-dist graph" of Ester et al. (KDD 1996, section 4.2) read left to right. O(m n d).
 */
export function computeKDistances(input: Matrix, k: number, options: KDistanceOptions = {}): Float64Array {
  const data = asFloat64(input);
  const n = data.rows;
  if (!Number.isInteger(k) || k < 1 || k >= n) throw new RangeError(`k must be in 1..${n - 1}, got ${k}`);
  const sampleSize = options.sampleSize ?? 2000;
  const queries = n > sampleSize ? sampleIndices(createRng(options.seed ?? 0), n, sampleSize) : undefined;
  const m = queries ? queries.length : n;
  const out = new Float64Array(m);
  // The k smallest squared distances so far, ascending (insertion sort: k is small).
  const nearest = new Float64Array(k);
  for (let r = 0; r < m; r++) {
    const i = queries ? queries[r]! : r;
    nearest.fill(Number.POSITIVE_INFINITY);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dist = squaredDistance(data.data, i, data.data, j, data.cols);
      if (dist >= nearest[k - 1]!) continue;
      let pos = k - 1;
      while (pos > 0 && nearest[pos - 1]! > dist) {
        nearest[pos] = nearest[pos - 1]!;
        pos--;
      }
      nearest[pos] = dist;
    }
    out[r] = Math.sqrt(nearest[k - 1]!);
  }
  return out.sort();
}

/**
 * Knee of an ascending curve: the point farthest below the chord joining its first and last points,
 * after scaling both axes to [0, 1] (the normalised difference curve of Kneedle, Satopaa et al.,
 * ICDCS Workshops 2011). Returns the index; 0 for a straight or concave curve.
 */
export function findKnee(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 3) return 0;
  const first = values[0]!;
  const range = values[n - 1]! - first;
  if (!(range > 0)) return 0;
  let best = 0;
  let bestGap = 0;
  for (let i = 1; i < n - 1; i++) {
    const gap = i / (n - 1) - (values[i]! - first) / range;
    if (gap > bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best;
}

export type EpsSuggestion = {
  readonly eps: number;
  /** Neighbour rank used for the curve: minPts - 1, since the curve leaves the query point out. */
  readonly k: number;
  readonly kneeIndex: number;
  /** The sorted k-distance curve, for plotting. */
  readonly kDistances: Float64Array;
};

/**
 * eps for DBSCAN at the knee of the sorted k-distance curve with k = minPts - 1 (Schubert et al.,
 * "DBSCAN Revisited, Revisited", ACM TODS 2017, section 4.1: the k-NN distance excludes the point
 * itself while MinPts counts it).
 */
export function suggestEps(data: Matrix, minPts: number, options: KDistanceOptions = {}): EpsSuggestion {
  if (!Number.isInteger(minPts) || minPts < 2) throw new RangeError(`minPts must be >= 2, got ${minPts}`);
  const k = minPts - 1;
  const kDistances = computeKDistances(data, k, options);
  const kneeIndex = findKnee(kDistances);
  return { eps: kDistances[kneeIndex]!, k, kneeIndex, kDistances };
}
