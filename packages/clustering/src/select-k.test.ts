import { describe, expect, it } from "vitest";
import { computeAdjustedRandIndex } from "./adjusted-rand-index.ts";
import { selectKBySilhouette } from "./select-k.ts";
import { makeBlobs } from "./synthetic-data.ts";

const THREE_BLOBS = makeBlobs({
  centers: [
    [0, 0, 0],
    [7, 0, 0],
    [0, 7, 3],
  ],
  perBlob: 120,
  std: 1,
  seed: 13,
});

describe("selectKBySilhouette", () => {
  it("picks k = 3 from 2..6 on three blobs and returns the matching model", () => {
    const result = selectKBySilhouette(THREE_BLOBS.data, { kMin: 2, kMax: 6, seed: 1 });
    expect(result.k).toBe(3);
    expect(result.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
    const best = Math.max(...result.scores.map((s) => s.silhouette));
    expect(result.silhouette).toBe(best);
    expect(computeAdjustedRandIndex(THREE_BLOBS.labels, result.model.labels)).toBe(1);
    // Inertia falls with k even though the silhouette does not: the reason to score by silhouette.
    const inertias = result.scores.map((s) => s.inertia);
    expect(inertias).toEqual([...inertias].sort((a, b) => b - a));
  });

  it("still picks 3 when scoring a sample and fitting with mini-batch k-means", () => {
    const result = selectKBySilhouette(THREE_BLOBS.data, {
      kMin: 2,
      kMax: 5,
      seed: 2,
      sampleSize: 100,
      miniBatchAbove: 100,
      batchSize: 64,
    });
    expect(result.k).toBe(3);
    expect(computeAdjustedRandIndex(THREE_BLOBS.labels, result.model.labels)).toBeGreaterThan(0.95);
  });

  it("rejects a range below 2 or reaching n", () => {
    expect(() => selectKBySilhouette(THREE_BLOBS.data, { kMin: 1, kMax: 3 })).toThrow(RangeError);
    expect(() => selectKBySilhouette(THREE_BLOBS.data, { kMin: 4, kMax: 3 })).toThrow(RangeError);
    expect(() => selectKBySilhouette(THREE_BLOBS.data, { kMin: 2, kMax: 360 })).toThrow(RangeError);
  });
});
