// Row-major dense matrices on typed arrays: row i occupies data[i * cols .. (i + 1) * cols).
// Float32 input is accepted everywhere (embeddings are stored as float32); sums are kept in
// float64 locals so accumulated error does not depend on the input precision.

export type FloatArray = Float32Array | Float64Array;

export type Matrix = {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;
};

export function createMatrix(rows: number, cols: number, data?: FloatArray): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new RangeError(`matrix ${rows} x ${cols} needs ${rows * cols} values, got ${values.length}`);
  }
  return { rows, cols, data: values };
}

/** Convenience for tests and small inputs: rows of plain numbers, all the same length. */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} values, expected ${cols}`);
    data.set(row, i * cols);
  });
  return createMatrix(rows.length, cols, data);
}

/** A view (no copy) of row `i`. */
export function getRow(m: Matrix, i: number): FloatArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Copies the listed rows into a new float64 matrix (used for seeded samples). */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (i < 0 || i >= m.rows) throw new RangeError(`row index ${i} outside 0..${m.rows - 1}`);
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return createMatrix(indices.length, m.cols, out);
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (same column count). */
export function squaredDistance(a: FloatArray, i: number, b: FloatArray, j: number, cols: number): number {
  const ai = i * cols;
  const bj = j * cols;
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    const diff = a[ai + c]! - b[bj + c]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * Symmetric n x n Euclidean distance table (float64, n^2 * 8 bytes), computed once and reused when
 * the same points are scored for several partitions (silhouette over a range of k).
 */
export function pairwiseDistances(input: Matrix): Float64Array {
  const m = asFloat64(input);
  const n = m.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dist = Math.sqrt(squaredDistance(m.data, i, m.data, j, m.cols));
      out[i * n + j] = dist;
      out[j * n + i] = dist;
    }
  }
  return out;
}

/**
 * The same matrix backed by float64 (no copy when it already is). Public entry points call this so
 * hot loops only ever see one array type: V8 compiles a loop that meets both Float32Array and
 * Float64Array as polymorphic, measured 1.5-2x slower here, which costs more than one copy.
 */
export function asFloat64(m: Matrix): Matrix {
  return m.data instanceof Float64Array ? m : createMatrix(m.rows, m.cols, Float64Array.from(m.data));
}
