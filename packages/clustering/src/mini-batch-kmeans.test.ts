import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";
import { fitKMeans } from "./kmeans.ts";
import { fitMiniBatchKMeans } from "./mini-batch-kmeans.ts";
import { makeBlobs } from "./synthetic-data.ts";

// Eight overlapping blobs in 8-D: a case where the two algorithms can actually differ.
const CENTRES = Array.from({ length: 8 }, (_, b) =>
  Array.from({ length: 8 }, (_, f) => ((b * 7 + f * 3) % 5) * 2),
);
const DATA = makeBlobs({ centers: CENTRES, perBlob: 1000, std: 1, seed: 21 });

describe("fitMiniBatchKMeans", () => {
  it("reaches an inertia within 3% of full Lloyd k-means", () => {
    const full = fitKMeans(DATA.data, { k: 8, seed: 1 });
    const mini = fitMiniBatchKMeans(DATA.data, { k: 8, seed: 1, batchSize: 256 });
    expect(mini.inertia).toBeLessThan(full.inertia * 1.03);
    expect(mini.labels).toHaveLength(DATA.data.rows);
  });

  it("recovers well-separated blobs (ARI 1) and is deterministic for a seed", () => {
    const blobs = makeBlobs({
      centers: [
        [0, 0],
        [10, 0],
        [5, 9],
      ],
      perBlob: 2000,
      std: 1,
      seed: 4,
    });
    const a = fitMiniBatchKMeans(blobs.data, { k: 3, seed: 8, batchSize: 128 });
    const b = fitMiniBatchKMeans(blobs.data, { k: 3, seed: 8, batchSize: 128 });
    expect(computeAdjustedRandIndex(blobs.labels, a.labels)).toBe(1);
    expect(b.inertia).toBe(a.inertia);
    expect(Array.from(b.centroids.data)).toEqual(Array.from(a.centroids.data));
  });

  it("stops early once the smoothed batch inertia stalls", () => {
    const run = fitMiniBatchKMeans(DATA.data, { k: 8, seed: 2, batchSize: 256, maxIterations: 5000 });
    expect(run.converged).toBe(true);
    expect(run.iterations).toBeLessThan(5000);
  });
});
