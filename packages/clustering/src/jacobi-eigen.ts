// Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
// "Matrix Computations", 4th ed., Algorithms 8.5.1 and 8.5.3). Chosen over power iteration because
// it returns every eigenpair at once, accurately, even when eigenvalues are close: what PCA on a
// 64-384 dimensional covariance needs, in O(d^3) per sweep and typically under 10 sweeps.

export type SymmetricEigen = {
  /** Eigenvalues in descending order. */
  readonly values: Float64Array;
  /** d x d row-major; row i is the unit eigenvector of values[i]. */
  readonly vectors: Float64Array;
};

const MAX_SWEEPS = 100;
// Off-diagonal mass below this fraction of the matrix norm is rounding noise in float64.
const RELATIVE_TOLERANCE = 1e-14;

export function decomposeSymmetric(matrix: Float64Array, d: number): SymmetricEigen {
  if (matrix.length !== d * d) throw new RangeError(`expected ${d * d} values, got ${matrix.length}`);
  const a = matrix.slice();
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let norm = 0;
  for (const x of a) norm += x * x;
  const threshold = RELATIVE_TOLERANCE * RELATIVE_TOLERANCE * norm;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += 2 * a[p * d + q]! ** 2;
    if (off <= threshold) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        // Symmetric Schur decomposition of the 2x2 block: t = tan(theta), smaller root for stability.
        const tau = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j]! - a[i * d + i]!);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((col, r) => {
    values[r] = a[col * d + col]!;
    for (let k = 0; k < d; k++) vectors[r * d + k] = v[k * d + col]!;
  });
  return { values, vectors };
}
