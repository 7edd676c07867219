import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";
import { NOISE, runDbscan } from "./dbscan.ts";
import { fitKMeans } from "./kmeans.ts";
import { createMatrix, matrixFromRows } from "./matrix.ts";
import { makeBlobs, makeMoons } from "./synthetic-data.ts";

describe("runDbscan", () => {
  it("labels core, border and noise points of a hand-made 1-D case", () => {
    // eps = 1, minPts = 3 (self included). Neighbourhoods: 0:{0,1} 1:{0,1,2} 2:{1,2,3} 3:{2,3}
    // -> 1 and 2 are core, 0 and 3 border; 10, 10.5, 11 are each other's core points; 20 is noise.
    const data = matrixFromRows([[0], [1], [2], [3], [10], [10.5], [11], [20]]);
    const { labels, core, clusterCount, noiseCount } = runDbscan(data, { eps: 1, minPts: 3 });
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, 1, 1, 1, NOISE]);
    expect(Array.from(core)).toEqual([0, 1, 1, 0, 1, 1, 1, 0]);
    expect(clusterCount).toBe(2);
    expect(noiseCount).toBe(1);
  });

  it("turns a point first seen as noise into a border point when a core point reaches it", () => {
    // Row 0 is visited first and has only 2 neighbours (noise), then row 1 (core) claims it.
    const data = matrixFromRows([[0], [1], [1.5], [2]]);
    const { labels, core } = runDbscan(data, { eps: 1, minPts: 3 });
    expect(Array.from(labels)).toEqual([0, 0, 0, 0]);
    expect(core[0]).toBe(0);
  });

  it("finds two blobs and marks a far outlier as noise", () => {
    const blobs = makeBlobs({
      centers: [
        [0, 0],
        [6, 6],
      ],
      perBlob: 150,
      std: 0.5,
      seed: 5,
    });
    const values = new Float64Array(blobs.data.data.length + 2);
    values.set(blobs.data.data);
    values.set([20, -20], blobs.data.data.length);
    const data = createMatrix(blobs.data.rows + 1, 2, values);
    const { labels, clusterCount } = runDbscan(data, { eps: 0.6, minPts: 5 });
    expect(clusterCount).toBe(2);
    expect(labels[blobs.data.rows]).toBe(NOISE);
    const inBlobs = labels.subarray(0, blobs.data.rows);
    // A few thin-tail points may be noise too; the clusters themselves must be exact.
    const kept = Array.from(inBlobs.keys()).filter((i) => inBlobs[i] !== NOISE);
    expect(kept.length).toBeGreaterThan(290);
    expect(
      computeAdjustedRandIndex(
        kept.map((i) => blobs.labels[i]!),
        kept.map((i) => inBlobs[i]!),
      ),
    ).toBe(1);
  });

  it("separates two moons, which k-means cannot", () => {
    const moons = makeMoons(200, 0.05, 3);
    const { labels, clusterCount } = runDbscan(moons.data, { eps: 0.2, minPts: 5 });
    expect(clusterCount).toBe(2);
    expect(computeAdjustedRandIndex(moons.labels, labels)).toBeGreaterThan(0.98);
    const kmeans = fitKMeans(moons.data, { k: 2, seed: 1 });
    expect(computeAdjustedRandIndex(moons.labels, kmeans.labels)).toBeLessThan(0.6);
  });

  it("rejects a non-positive eps or minPts", () => {
    const data = matrixFromRows([[0], [1]]);
    expect(() => runDbscan(data, { eps: 0, minPts: 2 })).toThrow(RangeError);
    expect(() => runDbscan(data, { eps: 1, minPts: 0 })).toThrow(RangeError);
  });
});
