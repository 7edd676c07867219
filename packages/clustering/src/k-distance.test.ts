import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";
import { runDbscan } from "./dbscan.ts";
import { describeClusters } from "./describe-clusters.ts";
import { computeKDistances, findKnee, suggestEps } from "./k-distance.ts";
import { matrixFromRows } from "./matrix.ts";
import { makeBlobs } from "./synthetic-data.ts";

describe("computeKDistances", () => {
  it("returns the sorted distance to the k-th nearest other point", () => {
    // Points 0, 1, 3, 7. 2nd-nearest distances: 0 -> {1,3} = 3; 1 -> {1,2} = 2; 3 -> {2,3} = 3;
    // 7 -> {4,6} = 6. Sorted: 2, 3, 3, 6.
    const data = matrixFromRows([[0], [1], [3], [7]]);
    expect(Array.from(computeKDistances(data, 2))).toEqual([2, 3, 3, 6]);
    expect(Array.from(computeKDistances(data, 1))).toEqual([1, 1, 2, 4]);
  });

  it("samples query rows reproducibly for large inputs", () => {
    const { data } = makeBlobs({ centers: [[0, 0]], perBlob: 500, std: 1, seed: 1 });
    const a = computeKDistances(data, 3, { sampleSize: 100, seed: 4 });
    expect(a).toHaveLength(100);
    expect(Array.from(computeKDistances(data, 3, { sampleSize: 100, seed: 4 }))).toEqual(Array.from(a));
  });
});

describe("findKnee", () => {
  it("finds the point farthest below the chord", () => {
    // Chord from (0, 0) to (4, 10) scaled to [0,1]^2: gaps x - y = 0.25-0.01, 0.5-0.02, 0.75-0.05.
    expect(findKnee([0, 0.1, 0.2, 0.5, 10])).toBe(3);
    expect(findKnee([0, 1, 2, 3, 4])).toBe(0);
    expect(findKnee([5, 5])).toBe(0);
  });
});

describe("suggestEps", () => {
  const blobs = makeBlobs({
    centers: [
      [0, 0],
      [8, 0],
      [4, 7],
    ],
    perBlob: 150,
    std: 0.6,
    seed: 17,
  });

  it("proposes an eps between the within-blob spacing and the gap between blobs", () => {
    const { eps, k, kDistances, kneeIndex } = suggestEps(blobs.data, 5);
    expect(k).toBe(4);
    expect(kDistances[kneeIndex]).toBe(eps);
    // Median 4-NN spacing in a 150-point blob of std 0.6 is ~0.2; blobs are ~8 apart.
    expect(eps).toBeGreaterThan(0.15);
    expect(eps).toBeLessThan(2);
  });

  it("gives DBSCAN an eps that recovers the blobs, with their thin tails as noise", () => {
    // The knee sits near the 85th percentile of the curve, so the tails of each Gaussian become noise
    // (plus at most a minPts-sized fragment); the three blobs must be the three large, pure clusters.
    const { eps } = suggestEps(blobs.data, 5);
    const { labels } = runDbscan(blobs.data, { eps, minPts: 5 });
    const { sizes } = describeClusters(blobs.data, labels);
    const large = Array.from(sizes.keys()).filter((c) => sizes[c]! >= 50);
    expect(large).toHaveLength(3);
    expect(large.reduce((sum, c) => sum + sizes[c]!, 0)).toBeGreaterThan(0.85 * blobs.data.rows);
    const inLarge = Array.from(labels.keys()).filter((i) => large.includes(labels[i]!));
    expect(
      computeAdjustedRandIndex(
        inLarge.map((i) => blobs.labels[i]!),
        inLarge.map((i) => labels[i]!),
      ),
    ).toBe(1);
  });
});
