import { assignToCentroids } from "./assign-centroids.ts";
import { type KMeansResult, restartRng } from "./kmeans.ts";
import { seedKMeansPlusPlus } from "./kmeans-plus-plus.ts";
import { asFloat64, createMatrix, type Matrix, selectRows } from "./matrix.ts";
import { createRng, sampleIndices } from "./prng.ts";

export type MiniBatchKMeansOptions = {
  readonly k: number;
  readonly seed?: number;
  /** k-means++ seedings scored on the initialisation sample; the lowest inertia is kept. */
  readonly restarts?: number;
  readonly batchSize?: number;
  /** Upper bound on mini-batch steps. */
  readonly maxIterations?: number;
  /** Stop after this many steps without a better smoothed batch inertia. */
  readonly maxNoImprovement?: number;
};

// Batch size 1024, init sample 3 x batch, 10 steps without improvement: scikit-learn's MiniBatchKMeans
// defaults, which its authors tuned on the same algorithm.
const DEFAULTS = {
  seed: 0,
  restarts: 3,
  batchSize: 1024,
  maxIterations: 1000,
  maxNoImprovement: 10,
} as const;

/**
 * Mini-batch k-means (Sculley, "Web-Scale K-Means Clustering", WWW 2010, Algorithm 1): each step
 * draws a batch, assigns it to the current centres, then moves each centre towards each of its
 * points with a per-centre learning rate 1 / (points seen by that centre). The returned labels and
 * inertia come from a final full assignment pass, so they are comparable with `fitKMeans`.
 */
export function fitMiniBatchKMeans(input: Matrix, options: MiniBatchKMeansOptions): KMeansResult {
  const data = asFloat64(input);
  const { k } = options;
  const { rows: n, cols: d, data: x } = data;
  const seed = options.seed ?? DEFAULTS.seed;
  const restarts = options.restarts ?? DEFAULTS.restarts;
  const batchSize = Math.min(options.batchSize ?? DEFAULTS.batchSize, n);
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const maxNoImprovement = options.maxNoImprovement ?? DEFAULTS.maxNoImprovement;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`k must be an integer in 1..${n}, got ${k}`);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new RangeError(`restarts must be >= 1, got ${restarts}`);
  if (batchSize < 1) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);

  const rng = createRng(seed);
  const initSample = selectRows(data, sampleIndices(rng, n, Math.min(n, Math.max(3 * batchSize, k))));
  let centroids: Float64Array = new Float64Array(0);
  let bestInitInertia = Number.POSITIVE_INFINITY;
  for (let r = 0; r < restarts; r++) {
    const candidate = seedKMeansPlusPlus(initSample, k, restartRng(seed, r + 1));
    const { inertia } = assignToCentroids(initSample, candidate, k);
    if (inertia < bestInitInertia) {
      bestInitInertia = inertia;
      centroids = candidate;
    }
  }

  const seen = new Float64Array(k);
  const batchIdx = new Int32Array(batchSize);
  const batch = createMatrix(batchSize, d, new Float64Array(batchSize * d));
  // Exponentially weighted batch inertia with weight batch / n, so the average spans about one epoch.
  const alpha = Math.min(1, (2 * batchSize) / (n + 1));
  let smoothed = Number.NaN;
  let bestSmoothed = Number.POSITIVE_INFINITY;
  let stale = 0;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    for (let b = 0; b < batchSize; b++) {
      const i = Math.floor(rng() * n);
      batchIdx[b] = i;
      batch.data.set(x.subarray(i * d, (i + 1) * d), b * d);
    }
    const { labels, inertia } = assignToCentroids(batch, centroids, k);
    for (let b = 0; b < batchSize; b++) {
      const c = labels[b]!;
      seen[c]!++;
      const eta = 1 / seen[c]!;
      const xi = batchIdx[b]! * d;
      for (let f = 0; f < d; f++) {
        centroids[c * d + f] = (1 - eta) * centroids[c * d + f]! + eta * x[xi + f]!;
      }
    }
    const batchInertia = inertia / batchSize;
    smoothed = Number.isNaN(smoothed) ? batchInertia : (1 - alpha) * smoothed + alpha * batchInertia;
    if (smoothed < bestSmoothed) {
      bestSmoothed = smoothed;
      stale = 0;
    } else if (++stale >= maxNoImprovement) {
      converged = true;
      break;
    }
  }
  const final = assignToCentroids(data, centroids, k);
  return {
    centroids: createMatrix(k, d, centroids),
    labels: final.labels,
    inertia: final.inertia,
    iterations,
    converged,
  };
}
