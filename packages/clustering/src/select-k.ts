import { fitKMeans, type KMeansResult } from "./kmeans.ts";
import { asFloat64, type Matrix, pairwiseDistances, selectRows } from "./matrix.ts";
import { fitMiniBatchKMeans } from "./mini-batch-kmeans.ts";
import { createRng, sampleIndices } from "./prng.ts";
import { silhouetteFromDistances } from "./silhouette.ts";

export type SelectKOptions = {
  readonly kMin: number;
  readonly kMax: number;
  readonly seed?: number;
  readonly restarts?: number;
  readonly maxIterations?: number;
  /** Silhouette is scored on at most this many rows (a seeded sample, the same for every k). */
  readonly sampleSize?: number;
  /** Above this many rows each k is fitted with mini-batch k-means instead of Lloyd. */
  readonly miniBatchAbove?: number;
  readonly batchSize?: number;
};

export type KScore = { readonly k: number; readonly silhouette: number; readonly inertia: number };

export type SelectKResult = {
  readonly k: number;
  readonly silhouette: number;
  readonly model: KMeansResult;
  /** One entry per k in kMin..kMax, ascending. */
  readonly scores: readonly KScore[];
};

const DEFAULTS = { seed: 0, sampleSize: 2000, miniBatchAbove: 20_000 } as const;

/**
 * Fits k-means for every k in [kMin, kMax] and keeps the one with the highest mean silhouette
 * (Rousseeuw 1987 proposes exactly this use). The sample's distance table is built once and reused
 * for every k, so the scoring costs O(m^2 d) once plus O(m^2) per k. Ties go to the smaller k.
 */
export function selectKBySilhouette(input: Matrix, options: SelectKOptions): SelectKResult {
  const data = asFloat64(input);
  const { kMin, kMax } = options;
  const seed = options.seed ?? DEFAULTS.seed;
  const sampleSize = options.sampleSize ?? DEFAULTS.sampleSize;
  const miniBatchAbove = options.miniBatchAbove ?? DEFAULTS.miniBatchAbove;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new RangeError(`need integers 2 <= kMin <= kMax, got ${kMin}..${kMax}`);
  }
  if (kMax >= data.rows) throw new RangeError(`kMax ${kMax} must be below the row count ${data.rows}`);

  const sample =
    data.rows > sampleSize ? sampleIndices(createRng(seed ^ 0x5eed), data.rows, sampleSize) : undefined;
  const distances = pairwiseDistances(sample ? selectRows(data, sample) : data);
  const sampleLabels = new Int32Array(sample ? sample.length : data.rows);

  const scores: KScore[] = [];
  let best: SelectKResult | undefined;
  for (let k = kMin; k <= kMax; k++) {
    const fitOptions = { k, seed, restarts: options.restarts, maxIterations: options.maxIterations };
    const model =
      data.rows > miniBatchAbove
        ? fitMiniBatchKMeans(data, { ...fitOptions, batchSize: options.batchSize })
        : fitKMeans(data, fitOptions);
    if (sample) for (let r = 0; r < sample.length; r++) sampleLabels[r] = model.labels[sample[r]!]!;
    else sampleLabels.set(model.labels);
    const silhouette = silhouetteFromDistances(distances, sampleLabels).mean;
    scores.push({ k, silhouette, inertia: model.inertia });
    if (!best || silhouette > best.silhouette) best = { k, silhouette, model, scores };
  }
  return { ...best!, scores };
}
