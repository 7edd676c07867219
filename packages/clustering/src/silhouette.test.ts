import { describe, expect, it } from "vitest";
import { matrixFromRows } from "./matrix.ts";
import { computeSampledSilhouette, computeSilhouette } from "./silhouette.ts";
import { makeBlobs } from "./synthetic-data.ts";

// Six 1-D points, clusters A = {0, 1, 3} and B = {7, 8, 10}. By hand, s = 1 - a / b (a < b everywhere):
//   x=0:  a = (1+3)/2 = 2,   b = (7+8+10)/3 = 25/3 -> s = 19/25
//   x=1:  a = (1+2)/2 = 1.5, b = (6+7+9)/3  = 22/3 -> s = 35/44
//   x=3:  a = (3+2)/2 = 2.5, b = (4+5+7)/3  = 16/3 -> s = 17/32
//   x=7:  a = (1+3)/2 = 2,   b = (7+6+4)/3  = 17/3 -> s = 11/17
//   x=8:  a = (1+2)/2 = 1.5, b = (8+7+5)/3  = 20/3 -> s = 31/40
//   x=10: a = (3+2)/2 = 2.5, b = (10+9+7)/3 = 26/3 -> s = 37/52
const SIX = matrixFromRows([[0], [1], [3], [7], [8], [10]]);
const SIX_LABELS = Int32Array.from([0, 0, 0, 1, 1, 1]);
const SIX_EXPECTED = [19 / 25, 35 / 44, 17 / 32, 11 / 17, 31 / 40, 37 / 52];

describe("computeSilhouette", () => {
  it("matches the hand-computed six-point example", () => {
    const { scores, mean } = computeSilhouette(SIX, SIX_LABELS);
    SIX_EXPECTED.forEach((s, i) => {
      expect(scores[i]).toBeCloseTo(s, 12);
    });
    expect(mean).toBeCloseTo(SIX_EXPECTED.reduce((a, b) => a + b) / 6, 12);
  });

  it("uses the nearest other cluster for b and gives a singleton s = 0", () => {
    // Clusters {0, 1}, {3} (singleton), {7, 8, 10}. For x=0: a = 1, b = min(3, 25/3) = 3 -> 2/3.
    // For x=1: a = 1, b = min(2, 22/3) = 2 -> 1/2. x=3 is alone -> 0.
    const { scores } = computeSilhouette(SIX, Int32Array.from([0, 0, 1, 2, 2, 2]));
    expect(scores[0]).toBeCloseTo(2 / 3, 12);
    expect(scores[1]).toBeCloseTo(1 / 2, 12);
    expect(scores[2]).toBe(0);
  });

  it("leaves noise (label -1) out of the scores and the means", () => {
    // Dropping x=3 as noise: A = {0, 1}. x=0: a = 1, b = 25/3 -> 1 - 3/25 = 22/25.
    const { scores, mean } = computeSilhouette(SIX, Int32Array.from([0, 0, -1, 1, 1, 1]));
    expect(scores[2]).toBeNaN();
    expect(scores[0]).toBeCloseTo(22 / 25, 12);
    expect(Number.isFinite(mean)).toBe(true);
  });

  it("is NaN for a single cluster, where it is undefined", () => {
    expect(computeSilhouette(SIX, new Int32Array(6)).mean).toBeNaN();
  });
});

describe("computeSampledSilhouette", () => {
  const { data, labels } = makeBlobs({
    centers: [
      [0, 0],
      [6, 0],
      [0, 6],
    ],
    perBlob: 400,
    std: 1,
    seed: 3,
  });

  it("is the exact value when the sample covers every row", () => {
    expect(computeSampledSilhouette(data, labels, { sampleSize: 5000 })).toBe(
      computeSilhouette(data, labels).mean,
    );
  });

  it("estimates the exact value from a seeded sample, reproducibly", () => {
    const exact = computeSilhouette(data, labels).mean;
    const a = computeSampledSilhouette(data, labels, { sampleSize: 300, seed: 1 });
    expect(Math.abs(a - exact)).toBeLessThan(0.03);
    expect(computeSampledSilhouette(data, labels, { sampleSize: 300, seed: 1 })).toBe(a);
  });
});
