import { describe, expect, it } from "vitest";
import { describeClusters } from "./describe-clusters.ts";
import { matrixFromRows } from "./matrix.ts";

describe("describeClusters", () => {
  it("counts sizes and noise and averages each cluster's rows", () => {
    const data = matrixFromRows([
      [0, 0],
      [2, 4],
      [10, 10],
      [50, 50],
      [12, 14],
    ]);
    const { sizes, noise, centroids } = describeClusters(data, Int32Array.from([0, 0, 1, -1, 1]));
    expect(Array.from(sizes)).toEqual([2, 2]);
    expect(noise).toBe(1);
    expect(Array.from(centroids.data)).toEqual([1, 2, 11, 12]);
  });
});
