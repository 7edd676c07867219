import { seedKMeansPlusPlus } from "./kmeans-plus-plus.ts";
import { runLloyd } from "./lloyd.ts";
import { asFloat64, createMatrix, type Matrix } from "./matrix.ts";
import { createRng, type Rng } from "./prng.ts";

export type KMeansOptions = {
  readonly k: number;
  readonly seed?: number;
  /** Independent k-means++ seedings; the run with the lowest inertia wins. */
  readonly restarts?: number;
  readonly maxIterations?: number;
  /** Stop when the summed squared centroid shift is below tolerance x mean per-feature variance. */
  readonly tolerance?: number;
};

export type KMeansResult = {
  /** k x d, float64. */
  readonly centroids: Matrix;
  readonly labels: Int32Array;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
};

// Defaults follow scikit-learn's KMeans (max_iter=300, tol=1e-4 relative to the data variance),
// with fewer restarts than its historical n_init=10 because greedy k-means++ seeds are already good.
const DEFAULTS = { seed: 0, restarts: 4, maxIterations: 300, tolerance: 1e-4 } as const;

/** Mean over features of the per-feature variance; scales the tolerance to the data (as scikit-learn). */
export function meanFeatureVariance(input: Matrix): number {
  const data = asFloat64(input);
  const { rows: n, cols: d, data: x } = data;
  if (n === 0 || d === 0) return 0;
  let total = 0;
  for (let c = 0; c < d; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i * d + c]!;
    mean /= n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const diff = x[i * d + c]! - mean;
      sq += diff * diff;
    }
    total += sq / n;
  }
  return total / d;
}

/** Seed for restart `r`: the PRNG mixes seeds, so consecutive integers give unrelated streams. */
export function restartRng(seed: number, restart: number): Rng {
  return createRng((seed + restart * 0x9e3779b1) >>> 0);
}

/** k-means with greedy k-means++ seeding and several restarts; deterministic for a given seed. */
export function fitKMeans(input: Matrix, options: KMeansOptions): KMeansResult {
  const data = asFloat64(input);
  const { k } = options;
  const seed = options.seed ?? DEFAULTS.seed;
  const restarts = options.restarts ?? DEFAULTS.restarts;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? DEFAULTS.tolerance;
  if (!Number.isInteger(k) || k < 1 || k > data.rows) {
    throw new RangeError(`k must be an integer in 1..${data.rows}, got ${k}`);
  }
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new RangeError(`restarts must be >= 1, got ${restarts}`);
  const shiftThreshold = tolerance * meanFeatureVariance(data);

  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const centroids = seedKMeansPlusPlus(data, k, restartRng(seed, r));
    const run = runLloyd(data, centroids, k, maxIterations, shiftThreshold);
    if (!best || run.inertia < best.inertia) {
      best = { ...run, centroids: createMatrix(k, data.cols, centroids) };
    }
  }
  return best!;
}
