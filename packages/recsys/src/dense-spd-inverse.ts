// Dense symmetric positive-definite algebra through the Cholesky factor A = L L^T: the factor, solves
// against it, and the inverse: W = L^-1 by forward substitution, A^-1 = W^T W.
// The inverse costs about n^3 / 2 multiply-adds (Golub & Van Loan,
// "Matrix Computations", 4th ed., sections 4.2 and 3.1), against n^3 for Gauss-Jordan. Every step is
// written as dot products of two contiguous rows (W is kept transposed for that), which keeps one row
// in cache and streams the other. Row-major Float64 storage.

/** Dot product of a[ao .. ao+len) and b[bo .. bo+len); four accumulators break the add latency chain. */
const dot = (a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number => {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ao + k]! * b[bo + k]!;
    s1 += a[ao + k + 1]! * b[bo + k + 1]!;
    s2 += a[ao + k + 2]! * b[bo + k + 2]!;
    s3 += a[ao + k + 3]! * b[bo + k + 3]!;
  }
  for (; k < len; k++) s0 += a[ao + k]! * b[bo + k]!;
  return s0 + s1 + s2 + s3;
};

/**
 * Replaces `a` (n x n, row-major; only the lower triangle is read) with its inverse (full,
 * symmetric). Throws when the matrix is not positive definite.
 */
export const invertSpdInPlace = (a: Float64Array, n: number): void => {
  choleskyInPlace(a, n);
  // wt[c][i] = W[i][c] with W = L^-1 (lower triangular, so wt is upper): row i of L W = e_i gives
  // W[i][c] = -(sum_{j=c}^{i-1} L[i][j] W[j][c]) / L[i][i] for c < i, and W[i][i] = 1 / L[i][i].
  const wt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const inv = 1 / a[i * n + i]!;
    wt[i * n + i] = inv;
    for (let c = 0; c < i; c++) wt[c * n + i] = -dot(a, i * n + c, wt, c * n + c, i - c) * inv;
  }
  // (A^-1)[x][y] = sum_{k >= x} W[k][x] W[k][y] for y <= x.
  for (let x = 0; x < n; x++) {
    for (let y = 0; y <= x; y++) {
      const v = dot(wt, x * n + x, wt, y * n + x, n - x);
      a[x * n + y] = v;
      a[y * n + x] = v;
    }
  }
};

/** Lower Cholesky factor written over the lower triangle of `a` (Cholesky-Banachiewicz order). */
export const choleskyInPlace = (a: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      const s = a[rowI + j]! - dot(a, rowI, a, rowJ, j);
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${i} = ${s})`);
        a[rowI + i] = Math.sqrt(s);
      } else {
        a[rowI + j] = s / a[rowJ + j]!;
      }
    }
  }
};

/** Solves L L^T x = b in place, L the lower Cholesky factor left by choleskyInPlace (row-major n x n). */
export const solveCholeskyInPlace = (l: Float64Array, n: number, b: Float64Array): void => {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
};
