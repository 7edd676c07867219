// Top-K over a full score vector with a size-K min-heap: O(n log K) instead of sorting all n items,
// which is what full-ranking evaluation does once per user.

/**
 * Indices of the K highest finite scores, best first; ties go to the lower index so rankings are
 * deterministic. Scores of -Infinity (excluded items) are never returned.
 */
export const selectTopK = (scores: Float32Array, k: number): Int32Array => {
  const heapIdx = new Int32Array(k);
  const heapVal = new Float64Array(k);
  let size = 0;
  // "a worse than b": lower score, or equal score and higher index.
  const worse = (va: number, ia: number, vb: number, ib: number) => va < vb || (va === vb && ia > ib);
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      let m = l;
      if (r < size && worse(heapVal[r]!, heapIdx[r]!, heapVal[l]!, heapIdx[l]!)) m = r;
      if (!worse(heapVal[m]!, heapIdx[m]!, heapVal[i]!, heapIdx[i]!)) return;
      swap(heapIdx, heapVal, i, m);
      i = m;
    }
  };
  for (let item = 0; item < scores.length; item++) {
    const v = scores[item]!;
    if (v === Number.NEGATIVE_INFINITY || Number.isNaN(v)) continue;
    if (size < k) {
      let i = size++;
      heapIdx[i] = item;
      heapVal[i] = v;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heapVal[i]!, heapIdx[i]!, heapVal[p]!, heapIdx[p]!)) break;
        swap(heapIdx, heapVal, i, p);
        i = p;
      }
    } else if (k > 0 && worse(heapVal[0]!, heapIdx[0]!, v, item)) {
      heapIdx[0] = item;
      heapVal[0] = v;
      siftDown(0);
    }
  }
  const out = new Int32Array(size);
  for (let slot = size - 1; slot >= 0; slot--) {
    out[slot] = heapIdx[0]!;
    heapIdx[0] = heapIdx[size - 1]!;
    heapVal[0] = heapVal[size - 1]!;
    size--;
    siftDown(0);
  }
  return out;
};

const swap = (idx: Int32Array, val: Float64Array, a: number, b: number) => {
  const ti = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = ti;
  const tv = val[a]!;
  val[a] = val[b]!;
  val[b] = tv;
};

/** Bounded best-first collector: keeps the `k` highest scores, ties to the lower item index. */
export class TopK {
  readonly items: Int32Array;
  readonly scores: Float64Array;
  size = 0;
  constructor(readonly k: number) {
    this.items = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  get floor(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.scores[this.size - 1]!;
  }
  push(item: number, score: number): void {
    if (this.k === 0) return;
    if (this.size === this.k) {
      const last = this.scores[this.k - 1]!;
      if (score < last || (score === last && item > this.items[this.k - 1]!)) return;
    }
    // Insertion into a sorted array: k is small (a page of results, or an HNSW ef).
    let i = this.size < this.k ? this.size++ : this.k - 1;
    while (i > 0) {
      const s = this.scores[i - 1]!;
      if (s > score || (s === score && this.items[i - 1]! < item)) break;
      this.scores[i] = s;
      this.items[i] = this.items[i - 1]!;
      i--;
    }
    this.scores[i] = score;
    this.items[i] = item;
  }
  toList(): { item: number; score: number }[] {
    return Array.from({ length: this.size }, (_, i) => ({ item: this.items[i]!, score: this.scores[i]! }));
  }
}
