import type { Matrix } from "./matrix.ts";
import { asFloat64, squaredDistance } from "./matrix.ts";

export type LloydResult = {
  readonly labels: Int32Array;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
};

// Lloyd's algorithm (Lloyd 1982) accelerated with Hamerly's bounds (Hamerly, "Making k-means even
// faster", SDM 2010): per row an upper bound u on the distance to its own centre and one lower bound
// l on the distance to every other centre. A row keeps its label without any distance computation
// when u <= max(l, s/2), s being its centre's distance to the nearest other centre; after each
// update u grows by its centre's movement and l shrinks by the largest movement (triangle
// inequality). The labels are those of plain Lloyd; most rows are skipped once clusters settle.

type State = {
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
};

/** Exact nearest and second-nearest centre of row i; writes label and both bounds. */
function assignRow(data: Matrix, centroids: Float64Array, k: number, i: number, state: State): void {
  let best = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  let label = 0;
  for (let j = 0; j < k; j++) {
    const dist = squaredDistance(data.data, i, centroids, j, data.cols);
    if (dist < best) {
      second = best;
      best = dist;
      label = j;
    } else if (dist < second) {
      second = dist;
    }
  }
  state.labels[i] = label;
  state.upper[i] = Math.sqrt(best);
  state.lower[i] = Math.sqrt(second);
}

/** Half the distance from each centre to its nearest other centre. */
function halfNearestCentre(centroids: Float64Array, k: number, d: number): Float64Array {
  const half = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const dist = 0.5 * Math.sqrt(squaredDistance(centroids, a, centroids, b, d));
      if (dist < half[a]!) half[a] = dist;
      if (dist < half[b]!) half[b] = dist;
    }
  }
  return half;
}

/**
 * Centroids become their cluster means (in place); returns each centre's movement and the summed
 * squared movement. An empty cluster takes the row farthest from its centre (as scikit-learn does),
 * which cannot raise the inertia; that row's bounds are reset so it is re-examined.
 */
function updateCentroids(data: Matrix, centroids: Float64Array, k: number, state: State) {
  const { rows: n, cols: d, data: x } = data;
  const { labels } = state;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    counts[l]!++;
    for (let c = 0; c < d; c++) sums[l * d + c]! += x[i * d + c]!;
  }
  const taken = new Uint8Array(n);
  for (let j = 0; j < k; j++) {
    if (counts[j]! > 0) continue;
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] || counts[labels[i]!]! < 2) continue;
      const dist = squaredDistance(x, i, centroids, labels[i]!, d);
      if (dist > farDist) {
        farDist = dist;
        far = i;
      }
    }
    if (far < 0) continue;
    const from = labels[far]!;
    for (let c = 0; c < d; c++) {
      sums[from * d + c]! -= x[far * d + c]!;
      sums[j * d + c] = x[far * d + c]!;
    }
    counts[from]!--;
    counts[j] = 1;
    labels[far] = j;
    taken[far] = 1;
    state.upper[far] = Number.POSITIVE_INFINITY;
    state.lower[far] = 0;
  }
  const moved = new Float64Array(k);
  let shift = 0;
  for (let j = 0; j < k; j++) {
    const count = counts[j]!;
    if (count === 0) continue;
    let sq = 0;
    for (let c = 0; c < d; c++) {
      const next = sums[j * d + c]! / count;
      const diff = next - centroids[j * d + c]!;
      sq += diff * diff;
      centroids[j * d + c] = next;
    }
    moved[j] = Math.sqrt(sq);
    shift += sq;
  }
  return { moved, shift };
}

/** Lloyd iterations from the given centroids (updated in place) until no label changes or shift <= threshold. */
export function runLloyd(
  input: Matrix,
  centroids: Float64Array,
  k: number,
  maxIterations: number,
  shiftThreshold: number,
): LloydResult {
  const data = asFloat64(input);
  const { rows: n, cols: d } = data;
  const state: State = {
    labels: new Int32Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) assignRow(data, centroids, k, i, state);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const before = state.labels.slice();
    const { moved, shift } = updateCentroids(data, centroids, k, state);
    let maxMoved = 0;
    for (let j = 0; j < k; j++) maxMoved = Math.max(maxMoved, moved[j]!);
    for (let i = 0; i < n; i++) {
      state.upper[i]! += moved[state.labels[i]!]!;
      state.lower[i]! -= maxMoved;
    }
    const half = halfNearestCentre(centroids, k, d);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const own = state.labels[i]!;
      const bound = Math.max(half[own]!, state.lower[i]!);
      if (state.upper[i]! > bound) {
        // Tighten u first: often that alone proves the label is still right.
        state.upper[i] = Math.sqrt(squaredDistance(data.data, i, centroids, own, d));
        if (state.upper[i]! > bound) assignRow(data, centroids, k, i, state);
      }
      if (state.labels[i] !== before[i]) changed++;
    }
    if (changed === 0 || shift <= shiftThreshold) {
      converged = true;
      break;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += squaredDistance(data.data, i, centroids, state.labels[i]!, d);
  return { labels: state.labels, inertia, iterations, converged };
}
