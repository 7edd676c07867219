import { decomposeSymmetric } from "./jacobi-eigen.ts";
import { asFloat64, createMatrix, type Matrix } from "./matrix.ts";

export type PcaModel = {
  /** Per-feature mean removed before projecting. */
  readonly mean: Float64Array;
  /** components x d, unit rows, by decreasing variance. */
  readonly components: Matrix;
  /** Variance along each component (sample covariance, n - 1 denominator). */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance of the data. */
  readonly explainedVarianceRatio: Float64Array;
};

export type PcaResult = PcaModel & {
  /** n x components coordinates of the input rows. */
  readonly projected: Matrix;
};

/**
 * PCA by eigen-decomposition of the sample covariance (Jolliffe, "Principal Component Analysis",
 * 2nd ed., ch. 1): O(n d^2) for the covariance plus the Jacobi solve. Each component's sign is
 * fixed so its largest-magnitude entry is positive, which makes scatter plots stable across runs.
 */
export function fitPca(input: Matrix, components = 2): PcaResult {
  const data = asFloat64(input);
  const { rows: n, cols: d, data: x } = data;
  if (n < 2) throw new RangeError(`PCA needs at least 2 rows, got ${n}`);
  if (!Number.isInteger(components) || components < 1 || components > d) {
    throw new RangeError(`components must be in 1..${d}, got ${components}`);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c]! += x[i * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= n;

  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) centred[c] = x[i * d + c]! - mean[c]!;
    for (let p = 0; p < d; p++) {
      const cp = centred[p]!;
      for (let q = p; q < d; q++) cov[p * d + q]! += cp * centred[q]!;
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const value = cov[p * d + q]! / (n - 1);
      cov[p * d + q] = value;
      cov[q * d + p] = value;
    }
  }

  const { values, vectors } = decomposeSymmetric(cov, d);
  let total = 0;
  for (let c = 0; c < d; c++) total += cov[c * d + c]!;
  const axes = new Float64Array(components * d);
  const explainedVariance = new Float64Array(components);
  const explainedVarianceRatio = new Float64Array(components);
  for (let r = 0; r < components; r++) {
    let pivot = 0;
    for (let c = 1; c < d; c++) {
      if (Math.abs(vectors[r * d + c]!) > Math.abs(vectors[r * d + pivot]!)) pivot = c;
    }
    const sign = vectors[r * d + pivot]! < 0 ? -1 : 1;
    for (let c = 0; c < d; c++) axes[r * d + c] = sign * vectors[r * d + c]!;
    // Rounding can leave tiny negative eigenvalues of a PSD matrix.
    explainedVariance[r] = Math.max(0, values[r]!);
    explainedVarianceRatio[r] = total > 0 ? explainedVariance[r]! / total : 0;
  }
  const model: PcaModel = {
    mean,
    components: createMatrix(components, d, axes),
    explainedVariance,
    explainedVarianceRatio,
  };
  return { ...model, projected: projectWithPca(model, data) };
}

/** Coordinates of (possibly new) rows in the PCA basis. */
export function projectWithPca(model: PcaModel, input: Matrix): Matrix {
  const data = asFloat64(input);
  const { rows: n, cols: d, data: x } = data;
  const { mean, components } = model;
  if (d !== components.cols) throw new RangeError(`model has ${components.cols} features, data ${d}`);
  const k = components.rows;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      let sum = 0;
      for (let c = 0; c < d; c++) sum += (x[i * d + c]! - mean[c]!) * components.data[r * d + c]!;
      out[i * k + r] = sum;
    }
  }
  return createMatrix(n, k, out);
}
