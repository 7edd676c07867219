/*
 * Pure assembly of profile rows from the per-user aggregates the repository returns: no I/O, so the
 * arithmetic (shares, RFM, the decayed weighted mean of item vectors) is unit-tested on hand cases.
 */

export const OTHER_CATEGORY = "(other)";
export const UNKNOWN = "(unknown)";

export type TBreakdownRow = { user_id: string; key: string | null; n: number; weight: number };

/** The `max` keys with the most events (ties by name), the rest pooled as (other). */
export const pickTopKeys = (rows: TBreakdownRow[], max: number): { keys: string[]; pooled: boolean } => {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const key = row.key ?? UNKNOWN;
    totals.set(key, (totals.get(key) ?? 0) + row.n);
  }
  const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const keys = sorted.slice(0, max).map(([key]) => key);
  const pooled = sorted.length > max;
  return { keys: pooled ? [...keys, OTHER_CATEGORY] : keys, pooled };
};

/**
 * Writes each user's share of events per key into `out` (row-major, `stride` wide, starting at column
 * `offset`): shares of one user sum to 1 over the keys, or are all 0 for a user with no weight.
 */
export const fillShares = (
  rows: TBreakdownRow[],
  userIndex: Map<string, number>,
  keys: string[],
  out: Float32Array,
  stride: number,
  offset: number,
): void => {
  const column = new Map(keys.map((key, i) => [key, i]));
  const other = column.get(OTHER_CATEGORY);
  const totals = new Float64Array(userIndex.size);
  const cells = new Float64Array(userIndex.size * keys.length);
  for (const row of rows) {
    const u = userIndex.get(row.user_id);
    const c = column.get(row.key ?? UNKNOWN) ?? other;
    if (u === undefined || c === undefined) continue;
    cells[u * keys.length + c]! += row.n;
    totals[u]! += row.n;
  }
  for (let u = 0; u < userIndex.size; u++) {
    const total = totals[u]!;
    if (total <= 0) continue;
    for (let c = 0; c < keys.length; c++) out[u * stride + offset + c] = cells[u * keys.length + c]! / total;
  }
};

/** Writes each user's event count per key into `out` (no normalisation). */
export const fillCounts = (
  rows: TBreakdownRow[],
  userIndex: Map<string, number>,
  keys: string[],
  out: Float32Array,
  stride: number,
  offset: number,
): void => {
  const column = new Map(keys.map((key, i) => [key, i]));
  for (const row of rows) {
    const u = userIndex.get(row.user_id);
    const c = column.get(row.key ?? UNKNOWN);
    if (u === undefined || c === undefined) continue;
    out[u * stride + offset + c]! += row.n;
  }
};

export type TUserItemWeight = { user_id: string; item_id: string; weight: number };

/**
 * Profile vector of each user: sum_i w_ui v_i / sum_i w_ui over the items that have a vector, where
 * w_ui already carries the event weights and the time decay. Items without a vector are left out of
 * both sums. Returns the number of users none of whose items had a vector (their row stays zero).
 */
export const accumulateProfileVectors = (
  rows: Iterable<TUserItemWeight>,
  userIndex: Map<string, number>,
  itemVectors: { index: Map<string, number>; data: Float32Array; dimension: number },
  out: Float32Array,
): number => {
  const d = itemVectors.dimension;
  const sums = new Float64Array(userIndex.size * d);
  const totals = new Float64Array(userIndex.size);
  for (const row of rows) {
    const u = userIndex.get(row.user_id);
    const item = itemVectors.index.get(row.item_id);
    if (u === undefined || item === undefined || !(row.weight > 0)) continue;
    totals[u]! += row.weight;
    const base = item * d;
    const target = u * d;
    for (let j = 0; j < d; j++) sums[target + j]! += row.weight * itemVectors.data[base + j]!;
  }
  let without = 0;
  for (let u = 0; u < userIndex.size; u++) {
    const total = totals[u]!;
    if (total <= 0) {
      without++;
      continue;
    }
    for (let j = 0; j < d; j++) out[u * d + j] = sums[u * d + j]! / total;
  }
  return without;
};
