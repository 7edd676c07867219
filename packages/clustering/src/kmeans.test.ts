import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";
import { assignToCentroids } from "./assign-centroids.ts";
import { fitKMeans, meanFeatureVariance } from "./kmeans.ts";
import { seedKMeansPlusPlus } from "./kmeans-plus-plus.ts";
import { createMatrix, getRow, matrixFromRows } from "./matrix.ts";
import { createRng } from "./prng.ts";
import { makeBlobs } from "./synthetic-data.ts";

const BLOBS = makeBlobs({
  centers: [
    [0, 0, 0, 0],
    [8, 8, 0, 0],
    [0, 8, 8, 8],
  ],
  perBlob: 150,
  std: 1,
  seed: 11,
});

describe("fitKMeans", () => {
  it("finds the hand-computed optimum of a tiny 1-D problem", () => {
    // {0, 1} and {10, 11, 12}: centroids 0.5 and 11; inertia 0.25 * 2 + (1 + 0 + 1) = 2.5.
    const data = matrixFromRows([[0], [1], [10], [11], [12]]);
    const { centroids, labels, inertia, converged } = fitKMeans(data, { k: 2, seed: 1 });
    const sorted = Array.from(centroids.data).sort((a, b) => a - b);
    expect(sorted).toEqual([0.5, 11]);
    expect(inertia).toBeCloseTo(2.5, 12);
    expect(labels[0]).toBe(labels[1]);
    expect(labels[2]).toBe(labels[4]);
    expect(labels[0]).not.toBe(labels[2]);
    expect(converged).toBe(true);
  });

  it("recovers three well-separated Gaussian blobs exactly (ARI 1)", () => {
    const { labels, centroids } = fitKMeans(BLOBS.data, { k: 3, seed: 7 });
    expect(computeAdjustedRandIndex(BLOBS.labels, labels)).toBe(1);
    // Each centroid lies within 0.3 of a true centre (std 1, 150 points: standard error ~0.08).
    const centres = [
      [0, 0, 0, 0],
      [8, 8, 0, 0],
      [0, 8, 8, 8],
    ];
    for (let j = 0; j < 3; j++) {
      const c = getRow(centroids, j);
      const nearest = Math.min(...centres.map((t) => Math.hypot(...t.map((v, f) => v - c[f]!))));
      expect(nearest).toBeLessThan(0.3);
    }
  });

  it("is deterministic for a seed and accepts float32 input", () => {
    const a = fitKMeans(BLOBS.data, { k: 4, seed: 5 });
    const b = fitKMeans(BLOBS.data, { k: 4, seed: 5 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.inertia).toBe(a.inertia);
    const f32 = createMatrix(BLOBS.data.rows, BLOBS.data.cols, Float32Array.from(BLOBS.data.data));
    const c = fitKMeans(f32, { k: 3, seed: 5 });
    expect(computeAdjustedRandIndex(BLOBS.labels, c.labels)).toBe(1);
  });

  it("keeps the best of several restarts", () => {
    const one = fitKMeans(BLOBS.data, { k: 6, seed: 2, restarts: 1 });
    const many = fitKMeans(BLOBS.data, { k: 6, seed: 2, restarts: 6 });
    expect(many.inertia).toBeLessThanOrEqual(one.inertia);
  });

  it("stops at maxIterations and reports it as not converged", () => {
    const run = fitKMeans(BLOBS.data, { k: 8, seed: 1, restarts: 1, maxIterations: 1, tolerance: 0 });
    expect(run.iterations).toBe(1);
    expect(run.converged).toBe(false);
  });

  it("handles more clusters than distinct points without empty or NaN centroids", () => {
    // Three distinct values, k = 4: one centroid must duplicate a point; none may be NaN.
    const data = matrixFromRows([[0], [0], [0], [5], [5], [9]]);
    const { centroids, inertia } = fitKMeans(data, { k: 4, seed: 3 });
    expect(Array.from(centroids.data).every(Number.isFinite)).toBe(true);
    expect(inertia).toBe(0);
  });

  it("rejects k outside 1..n", () => {
    expect(() => fitKMeans(BLOBS.data, { k: 0 })).toThrow(RangeError);
    expect(() => fitKMeans(matrixFromRows([[1], [2]]), { k: 3 })).toThrow(RangeError);
  });
});

describe("seedKMeansPlusPlus", () => {
  it("places one seed in each far-apart group", () => {
    // D^2 weighting: after a seed in one pair, the other pair holds ~all the probability mass.
    const data = matrixFromRows([[0], [0.1], [100], [100.1]]);
    for (let seed = 0; seed < 20; seed++) {
      const seeds = Array.from(seedKMeansPlusPlus(data, 2, createRng(seed))).sort((a, b) => a - b);
      expect(seeds[0]).toBeLessThan(1);
      expect(seeds[1]).toBeGreaterThan(99);
    }
  });
});

describe("assignToCentroids", () => {
  it("gives the same labels with and without the previous-label bound", () => {
    const centroids = seedKMeansPlusPlus(BLOBS.data, 5, createRng(9));
    const cold = assignToCentroids(BLOBS.data, centroids, 5);
    const shuffled = Int32Array.from(cold.labels, (l) => (l + 2) % 5);
    const warm = assignToCentroids(BLOBS.data, centroids, 5, shuffled);
    expect(Array.from(warm.labels)).toEqual(Array.from(cold.labels));
    expect(warm.inertia).toBeCloseTo(cold.inertia, 9);
    expect(warm.changed).toBe(BLOBS.data.rows);
  });
});

describe("meanFeatureVariance", () => {
  it("averages the population variance of each column", () => {
    // Column 1: {0, 2} -> 1; column 2: {0, 0} -> 0; mean 0.5.
    expect(
      meanFeatureVariance(
        matrixFromRows([
          [0, 0],
          [2, 0],
        ]),
      ),
    ).toBe(0.5);
  });
});
