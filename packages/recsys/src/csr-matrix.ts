// Compressed sparse row matrix: the one interaction representation every recommender here reads.
// Row r's entries are indices/values[indptr[r] .. indptr[r + 1]), column indices sorted ascending, so
// membership tests can binary-search a row.

export type TCsrMatrix = {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
};

export type TCooEntries = {
  rows: ArrayLike<number>;
  cols: ArrayLike<number>;
  values: ArrayLike<number>;
};

/**
 * Builds a CSR matrix from coordinate entries; duplicates of a (row, col) pair are summed, so
 * repeated events add up their weights. `select`, when given, lists which entries to use.
 */
export const csrFromCoo = (
  shape: { rows: number; cols: number },
  entries: TCooEntries,
  select?: ArrayLike<number>,
): TCsrMatrix => {
  const count = select ? select.length : entries.rows.length;
  const at = (k: number) => (select ? select[k]! : k);
  const rowCounts = new Int32Array(shape.rows + 1);
  for (let k = 0; k < count; k++) rowCounts[entries.rows[at(k)]! + 1]!++;
  for (let r = 0; r < shape.rows; r++) rowCounts[r + 1]! += rowCounts[r]!;
  const cursor = rowCounts.slice(0, shape.rows);
  const cols = new Int32Array(count);
  const vals = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const e = at(k);
    const slot = cursor[entries.rows[e]!]!++;
    cols[slot] = entries.cols[e]!;
    vals[slot] = entries.values[e]!;
  }
  return compactRows(shape, rowCounts, cols, vals);
};

/** Sorts each row by column and merges duplicate columns by summing their values. */
const compactRows = (
  shape: { rows: number; cols: number },
  rowStart: Int32Array,
  cols: Int32Array,
  vals: Float32Array,
): TCsrMatrix => {
  const indptr = new Int32Array(shape.rows + 1);
  const indices = new Int32Array(cols.length);
  const values = new Float32Array(cols.length);
  let out = 0;
  for (let r = 0; r < shape.rows; r++) {
    const start = rowStart[r]!;
    const end = rowStart[r + 1]!;
    const order = Array.from({ length: end - start }, (_, k) => start + k).sort(
      (a, b) => cols[a]! - cols[b]!,
    );
    let last = -1;
    for (const k of order) {
      if (cols[k] === last) {
        values[out - 1]! += vals[k]!;
        continue;
      }
      last = cols[k]!;
      indices[out] = last;
      values[out] = vals[k]!;
      out++;
    }
    indptr[r + 1] = out;
  }
  return { ...shape, indptr, indices: indices.slice(0, out), values: values.slice(0, out) };
};

/** The transpose (items x users from users x items), rows again sorted by column. */
export const transposeCsr = (m: TCsrMatrix): TCsrMatrix => {
  const indptr = new Int32Array(m.cols + 1);
  for (let k = 0; k < m.indices.length; k++) indptr[m.indices[k]! + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const cursor = indptr.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  // Visiting rows in order writes each transposed row's columns already sorted.
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) {
      const slot = cursor[m.indices[k]!]!++;
      indices[slot] = r;
      values[slot] = m.values[k]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
};

export type TCsrRow = { indices: Int32Array; values: Float32Array };

/** Row r as zero-copy views. */
export const csrRow = (m: TCsrMatrix, r: number): TCsrRow => {
  const start = m.indptr[r]!;
  const end = m.indptr[r + 1]!;
  return { indices: m.indices.subarray(start, end), values: m.values.subarray(start, end) };
};

/**
 * Scores every item for one user of `history` through an item-to-item matrix: out = h_u · S, the sum over
 * the user's history items h (weighted by their history value) of row h of `itemToItem`. Item-kNN, RP3beta
 * and SAR all score this way.
 */
export const scoreThroughItemRows = (
  history: TCsrMatrix,
  user: number,
  itemToItem: TCsrMatrix,
  out: Float32Array,
): void => {
  out.fill(0);
  for (let e = history.indptr[user]!; e < history.indptr[user + 1]!; e++) {
    const i = history.indices[e]!;
    const weight = history.values[e]!;
    for (let f = itemToItem.indptr[i]!; f < itemToItem.indptr[i + 1]!; f++) {
      out[itemToItem.indices[f]!]! += weight * itemToItem.values[f]!;
    }
  }
};

export const rowLength = (m: TCsrMatrix, r: number): number => m.indptr[r + 1]! - m.indptr[r]!;

/** Whether row r has column c (binary search over the sorted row). */
export const csrHas = (m: TCsrMatrix, r: number, c: number): boolean => {
  let lo = m.indptr[r]!;
  let hi = m.indptr[r + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = m.indices[mid]!;
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
};

/** Element-wise sum of two matrices with the same shape (e.g. train + validation as one history). */
export const addCsr = (a: TCsrMatrix, b: TCsrMatrix): TCsrMatrix => {
  const rows = new Int32Array(a.indices.length + b.indices.length);
  const cols = new Int32Array(rows.length);
  const values = new Float32Array(rows.length);
  let k = 0;
  for (const m of [a, b]) {
    for (let r = 0; r < m.rows; r++) {
      for (let e = m.indptr[r]!; e < m.indptr[r + 1]!; e++, k++) {
        rows[k] = r;
        cols[k] = m.indices[e]!;
        values[k] = m.values[e]!;
      }
    }
  }
  return csrFromCoo({ rows: a.rows, cols: a.cols }, { rows, cols, values });
};

/** Same pattern with every stored value set to 1: "interacted or not", whatever the weight. */
export const binarizeCsr = (m: TCsrMatrix): TCsrMatrix => ({
  ...m,
  values: new Float32Array(m.values.length).fill(1),
});
