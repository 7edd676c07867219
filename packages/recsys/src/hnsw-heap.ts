// Binary max-heap of (id, key) pairs on typed arrays: HNSW search pushes and pops thousands of
// candidates per query, and object-per-entry heaps would dominate the run time with allocation.

export class HnswHeap {
  private ids: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity = 64) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  topId(): number {
    return this.ids[0]!;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  push(id: number, key: number): void {
    if (this.size === this.ids.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! >= key) break;
      this.ids[i] = this.ids[parent]!;
      this.keys[i] = this.keys[parent]!;
      i = parent;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }

  /** The id of entry i, 0 <= i < size, in heap order (not sorted). */
  idAt(i: number): number {
    return this.ids[i]!;
  }

  /** Removes the entry with the largest key and returns its id; read topKey() first if needed. */
  pop(): number {
    const top = this.ids[0]!;
    const last = --this.size;
    const id = this.ids[last]!;
    const key = this.keys[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! > this.keys[child]!) child++;
      if (this.keys[child]! <= key) break;
      this.ids[i] = this.ids[child]!;
      this.keys[i] = this.keys[child]!;
      i = child;
    }
    this.ids[i] = id;
    this.keys[i] = key;
    return top;
  }

  private grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    const keys = new Float64Array(this.keys.length * 2);
    ids.set(this.ids);
    keys.set(this.keys);
    this.ids = ids;
    this.keys = keys;
  }
}
