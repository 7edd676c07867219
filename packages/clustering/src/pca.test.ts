import { describe, expect, it } from "vitest";
import { decomposeSymmetric } from "./jacobi-eigen.ts";
import { createMatrix, matrixFromRows } from "./matrix.ts";
import { fitPca, projectWithPca } from "./pca.ts";
import { createRng, randomNormal } from "./prng.ts";

describe("decomposeSymmetric", () => {
  it("diagonalises [[2,1],[1,2]] into 3 and 1 with eigenvectors (1,1)/sqrt2 and (1,-1)/sqrt2", () => {
    const { values, vectors } = decomposeSymmetric(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]! * vectors[1]!).toBeCloseTo(0.5, 14);
    expect(vectors[2]! * vectors[3]!).toBeCloseTo(-0.5, 14);
  });

  it("reconstructs a random symmetric 12 x 12 matrix as V^T diag(values) V", () => {
    const d = 12;
    const rng = createRng(3);
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = randomNormal(rng);
        m[i * d + j] = v;
        m[j * d + i] = v;
      }
    }
    const { values, vectors } = decomposeSymmetric(m, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let r = 0; r < d; r++) sum += vectors[r * d + i]! * values[r]! * vectors[r * d + j]!;
        expect(sum).toBeCloseTo(m[i * d + j]!, 10);
      }
    }
    for (let r = 1; r < d; r++) expect(values[r]).toBeLessThanOrEqual(values[r - 1]!);
  });
});

describe("fitPca", () => {
  it("puts all variance of points on a line on one component along the line", () => {
    // x = (1, 2, 3) + t (1, 2, 2) / 3 for t = -2..2: direction (1, 2, 2) / 3, coordinates t.
    const rows = [-2, -1, 0, 1, 2].map((t) => [1 + t / 3, 2 + (2 * t) / 3, 3 + (2 * t) / 3]);
    const pca = fitPca(matrixFromRows(rows), 2);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
    expect(pca.explainedVarianceRatio[1]).toBeCloseTo(0, 12);
    // Sample variance of t = (4 + 1 + 0 + 1 + 4) / 4 = 2.5.
    expect(pca.explainedVariance[0]).toBeCloseTo(2.5, 12);
    const axis = Array.from(pca.components.data.subarray(0, 3));
    [1 / 3, 2 / 3, 2 / 3].forEach((v, c) => {
      expect(axis[c]).toBeCloseTo(v, 12);
    });
    [-2, -1, 0, 1, 2].forEach((t, i) => {
      expect(pca.projected.data[i * 2]).toBeCloseTo(t, 12);
    });
    expect(Array.from(pca.mean)).toEqual([1, 2, 3]);
  });

  it("orders components by variance on an axis-aligned ellipse", () => {
    // Variance 9 along y, 1 along x: first axis is (0, 1), ratio ~0.9.
    const rng = createRng(8);
    const n = 4000;
    const data = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      data[i * 2] = randomNormal(rng);
      data[i * 2 + 1] = 3 * randomNormal(rng);
    }
    const pca = fitPca(createMatrix(n, 2, data), 2);
    expect(Math.abs(pca.components.data[1]!)).toBeGreaterThan(0.999);
    expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(0.88);
    expect(pca.explainedVarianceRatio[0]).toBeLessThan(0.92);
    const sum = pca.explainedVarianceRatio[0]! + pca.explainedVarianceRatio[1]!;
    expect(sum).toBeCloseTo(1, 12);
  });

  it("projects new points with the fitted model", () => {
    const rows = [-2, -1, 0, 1, 2].map((t) => [1 + t / 3, 2 + (2 * t) / 3, 3 + (2 * t) / 3]);
    const pca = fitPca(matrixFromRows(rows), 1);
    const fresh = projectWithPca(pca, matrixFromRows([[1 + 10 / 3, 2 + 20 / 3, 3 + 20 / 3]]));
    expect(fresh.data[0]).toBeCloseTo(10, 12);
  });

  it("rejects fewer than 2 rows or too many components", () => {
    expect(() => fitPca(matrixFromRows([[1, 2]]), 1)).toThrow(RangeError);
    expect(() => fitPca(matrixFromRows([[1], [2]]), 2)).toThrow(RangeError);
  });
});
