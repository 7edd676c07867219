// Adjusted Rand index (Hubert & Arabie, "Comparing partitions", J. Classification 1985), from the
// contingency table n_ij of the two labellings with row sums a_i and column sums b_j:
//   ARI = (sum C(n_ij,2) - E) / (0.5 (sum C(a_i,2) + sum C(b_j,2)) - E),
//   E   = sum C(a_i,2) * sum C(b_j,2) / C(n,2).
// Labels are any integers (DBSCAN's -1 is treated as one more group).

const pairs = (m: number): number => (m * (m - 1)) / 2;

function denseCodes(labels: ArrayLike<number>): { codes: Int32Array; count: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    let code = map.get(l);
    if (code === undefined) {
      code = map.size;
      map.set(l, code);
    }
    codes[i] = code;
  }
  return { codes, count: map.size };
}

export function computeAdjustedRandIndex(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = truth.length;
  if (predicted.length !== n) throw new RangeError(`label lengths differ: ${n} vs ${predicted.length}`);
  const a = denseCodes(truth);
  const b = denseCodes(predicted);
  const table = new Float64Array(a.count * b.count);
  const rowSums = new Float64Array(a.count);
  const colSums = new Float64Array(b.count);
  for (let i = 0; i < n; i++) {
    const r = a.codes[i]!;
    const c = b.codes[i]!;
    table[r * b.count + c]!++;
    rowSums[r]!++;
    colSums[c]!++;
  }
  let index = 0;
  for (const v of table) index += pairs(v);
  let sumA = 0;
  for (const v of rowSums) sumA += pairs(v);
  let sumB = 0;
  for (const v of colSums) sumB += pairs(v);
  const expected = n > 1 ? (sumA * sumB) / pairs(n) : 0;
  const max = 0.5 * (sumA + sumB);
  // Both partitions trivial (one group each, or all singletons): they agree perfectly; scikit-learn
  // returns 1 here too instead of 0 / 0.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
