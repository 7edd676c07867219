import { createMatrix, type Matrix } from "./matrix.ts";
import { createRng, randomNormal } from "./prng.ts";

// Seeded point sets with known partitions, for tests and benchmarks of this package.

export type LabelledPoints = { readonly data: Matrix; readonly labels: Int32Array };

export type BlobsOptions = {
  /** One centre per blob; all of the same dimension. */
  readonly centers: readonly (readonly number[])[];
  readonly perBlob: number;
  /** Standard deviation of every coordinate around its centre. */
  readonly std: number;
  readonly seed: number;
};

/** Isotropic Gaussian blobs, rows interleaved (blob of row i is i mod blobs) so order carries no signal. */
export function makeBlobs(options: BlobsOptions): LabelledPoints {
  const { centers, perBlob, std, seed } = options;
  const d = centers[0]?.length ?? 0;
  const n = centers.length * perBlob;
  const rng = createRng(seed);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const blob = i % centers.length;
    const centre = centers[blob]!;
    labels[i] = blob;
    for (let c = 0; c < d; c++) data[i * d + c] = centre[c]! + std * randomNormal(rng);
  }
  return { data: createMatrix(n, d, data), labels };
}

/**
 * Two interleaving half circles (the construction of scikit-learn's make_moons): the upper arc
 * (cos t, sin t) and the lower arc (1 - cos t, 0.5 - sin t), t uniform in [0, pi], plus Gaussian noise.
 */
export function makeMoons(perMoon: number, noise: number, seed: number): LabelledPoints {
  const rng = createRng(seed);
  const n = 2 * perMoon;
  const data = new Float64Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const moon = i % 2;
    const t = Math.PI * rng();
    const x = moon === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = moon === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    data[i * 2] = x + noise * randomNormal(rng);
    data[i * 2 + 1] = y + noise * randomNormal(rng);
    labels[i] = moon;
  }
  return { data: createMatrix(n, 2, data), labels };
}
