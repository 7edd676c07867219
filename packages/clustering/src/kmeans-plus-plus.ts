import { asFloat64, type Matrix, squaredDistance } from "./matrix.ts";
import type { Rng } from "./prng.ts";

// k-means++ seeding (Arthur & Vassilvitskii, "k-means++: The Advantages of Careful Seeding", SODA 2007):
// each next centre is drawn with probability proportional to D(x)^2, the squared distance to the
// nearest centre chosen so far. The greedy variant draws several candidates per step and keeps the
// one that lowers the potential most; 2 + ln(k) candidates is the count the authors tried (their
// conclusion) and the one scikit-learn uses.

export function defaultLocalTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/** Index drawn with probability weights[i] / total (linear scan; weights are D(x)^2). */
function drawWeighted(rng: Rng, weights: Float64Array, total: number): number {
  const target = rng() * total;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (acc > target) return i;
  }
  // Rounding can leave target just above the final sum: fall back to the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return Math.floor(rng() * weights.length);
}

/** Returns k x d centroids (float64, row-major) chosen among the rows of `data`. */
export function seedKMeansPlusPlus(
  input: Matrix,
  k: number,
  rng: Rng,
  localTrials: number = defaultLocalTrials(k),
): Float64Array {
  const data = asFloat64(input);
  const { rows: n, cols: d } = data;
  if (k < 1 || k > n) throw new RangeError(`k must be in 1..${n}, got ${k}`);
  const centroids = new Float64Array(k * d);
  const first = Math.floor(rng() * n);
  centroids.set(data.data.subarray(first * d, (first + 1) * d), 0);

  let closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(data.data, i, centroids, 0, d);
    potential += closest[i]!;
  }
  let candidate = new Float64Array(n);
  let best = new Float64Array(n);

  for (let c = 1; c < k; c++) {
    let bestIndex = -1;
    let bestPotential = Number.POSITIVE_INFINITY;
    // All points coincide with a centre already: any pick is as good as another.
    const trials = potential > 0 ? localTrials : 1;
    for (let t = 0; t < trials; t++) {
      const index = potential > 0 ? drawWeighted(rng, closest, potential) : Math.floor(rng() * n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const dist = Math.min(closest[i]!, squaredDistance(data.data, i, data.data, index, d));
        candidate[i] = dist;
        sum += dist;
      }
      if (sum < bestPotential) {
        bestPotential = sum;
        bestIndex = index;
        [best, candidate] = [candidate, best];
      }
    }
    centroids.set(data.data.subarray(bestIndex * d, (bestIndex + 1) * d), c * d);
    [closest, best] = [best, closest];
    potential = bestPotential;
  }
  return centroids;
}
