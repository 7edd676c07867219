import { describe, expect, it } from "vitest";
import { seedKMeansPlusPlus } from "./kmeans-plus-plus.ts";
import { runLloyd } from "./lloyd.ts";
import type { Matrix } from "./matrix.ts";
import { createRng } from "./prng.ts";
import { makeBlobs } from "./synthetic-data.ts";

/** Textbook Lloyd: full nearest-centre scan every iteration, stopping when no label changes. */
function naiveLloyd(data: Matrix, start: Float64Array, k: number) {
  const { rows: n, cols: d, data: x } = data;
  const c = start.slice();
  let labels = new Int32Array(n).fill(-1);
  for (let iter = 0; iter < 1000; iter++) {
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let f = 0; f < d; f++) s += (x[i * d + f]! - c[j * d + f]!) ** 2;
        if (s < best) {
          best = s;
          next[i] = j;
        }
      }
    }
    if (next.every((l, i) => l === labels[i])) break;
    labels = next;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]!]!++;
      for (let f = 0; f < d; f++) sums[labels[i]! * d + f]! += x[i * d + f]!;
    }
    for (let j = 0; j < k * d; j++) c[j] = sums[j]! / counts[Math.floor(j / d)]!;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) inertia += (x[i * d + f]! - c[labels[i]! * d + f]!) ** 2;
  }
  return { labels, inertia };
}

describe("runLloyd (Hamerly bounds)", () => {
  it("ends with the same labels and inertia as textbook Lloyd from the same seeds", () => {
    // Overlapping blobs, so many rows change label over many iterations and the bounds are exercised.
    const centres = Array.from({ length: 6 }, (_, b) => [b % 3, Math.floor(b / 3), (b * 5) % 4]);
    const { data } = makeBlobs({ centers: centres, perBlob: 200, std: 0.6, seed: 31 });
    for (const seed of [1, 2, 3]) {
      const start = seedKMeansPlusPlus(data, 6, createRng(seed));
      const reference = naiveLloyd(data, start, 6);
      const fast = runLloyd(data, start.slice(), 6, 1000, 0);
      expect(fast.converged).toBe(true);
      expect(fast.iterations).toBeGreaterThan(3);
      expect(Array.from(fast.labels)).toEqual(Array.from(reference.labels));
      expect(fast.inertia).toBeCloseTo(reference.inertia, 8);
    }
  });
});
