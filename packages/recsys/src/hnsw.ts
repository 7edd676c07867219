// In-process approximate nearest-neighbour index: Hierarchical Navigable Small World graphs,
// Malkov & Yashunin 2018 (arXiv:1603.09320). Algorithm numbers below refer to that paper.
// Similarity is the inner product; for "cosine" every vector is normalised on insert (and every
// query on search), so the inner product is the cosine.

import { decodeHnswState, encodeHnswState, type THnswMetric, type THnswState } from "./hnsw-codec.ts";
import { HnswHeap } from "./hnsw-heap.ts";
import { createRng } from "./prng.ts";
import { createSimdVectors, SIMD_BATCH, type TSimdVectors } from "./simd-dot.ts";
import { TopK } from "./top-k.ts";

export type { THnswMetric } from "./hnsw-codec.ts";

export type THnswOptions = {
  dim: number;
  metric?: THnswMetric;
  /** Links per node on levels >= 1; level 0 keeps 2M (paper section 4.2.2). Default 16. */
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  seed?: number;
  initialCapacity?: number;
};

export type THnswSearchOptions = {
  /** Size of the dynamic candidate list on level 0; raised to k when smaller. */
  ef?: number;
  exclude?: ReadonlySet<number>;
  filter?: (id: number) => boolean;
};

/** Best first. */
export type THnswResult = { ids: Int32Array; scores: Float32Array };

// Defaults from the paper's recommendations (section 4.2.2: M 5-48, efConstruction 100+) and
// hnswlib's defaults (M 16, ef_construction 200).
const DEFAULT_M = 16;
const DEFAULT_EF_CONSTRUCTION = 200;
const DEFAULT_EF_SEARCH = 64;
// Uint8Array holds levels; with mL = 1/ln 16 a level above 255 has probability 16^-255.
const MAX_LEVEL = 255;

/** Inner product of a[aAt..aAt+dim) and b[bAt..bAt+dim), in four partial sums so that the products
 * do not wait on one another's additions. */
const dotAt = (a: Float32Array, aAt: number, b: Float32Array, bAt: number, dim: number): number => {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dim; i += 4) {
    s0 += a[aAt + i]! * b[bAt + i]!;
    s1 += a[aAt + i + 1]! * b[bAt + i + 1]!;
    s2 += a[aAt + i + 2]! * b[bAt + i + 2]!;
    s3 += a[aAt + i + 3]! * b[bAt + i + 3]!;
  }
  for (; i < dim; i++) s0 += a[aAt + i]! * b[bAt + i]!;
  return s0 + s1 + (s2 + s3);
};

export class HnswIndex {
  private s: THnswState;
  private visited: Uint32Array;
  /**
   * An int8 copy of the vectors in WebAssembly memory for SIMD inner products (./simd-dot.ts), made at
   * the first search after the last insert; null where SIMD is unavailable (the scalar loop runs).
   */
  private simd: TSimdVectors | null | undefined;
  private epoch = 0;
  private readonly candidates = new HnswHeap();
  private readonly results = new HnswHeap();
  // One expanded node's unvisited neighbours and their scores, for the float (non-SIMD) walks: at
  // most 2M links on level 0, M above.
  private batchIds: Int32Array;
  private batchScores: Float64Array;
  /** The rows planBulk coded (prepared as add() stores them), while adds follow them in order. */
  private bulk: { rows: Float32Array; count: number } | null = null;

  private constructor(state: THnswState) {
    this.s = state;
    this.visited = new Uint32Array(state.levels.length);
    this.batchIds = new Int32Array(2 * state.m);
    this.batchScores = new Float64Array(2 * state.m);
  }

  static create(options: THnswOptions): HnswIndex {
    const m = options.m ?? DEFAULT_M;
    if (!Number.isInteger(options.dim) || options.dim < 1)
      throw new RangeError(`HNSW: dim must be a positive integer, got ${options.dim}`);
    if (!Number.isInteger(m) || m < 2 || 2 * m > SIMD_BATCH) {
      throw new RangeError(`HNSW: m must be an integer from 2 to ${SIMD_BATCH / 2}, got ${m}`);
    }
    const capacity = Math.max(1, options.initialCapacity ?? 1024);
    return new HnswIndex({
      metric: options.metric ?? "cosine",
      dim: options.dim,
      m,
      efConstruction: Math.max(m, options.efConstruction ?? DEFAULT_EF_CONSTRUCTION),
      efSearch: options.efSearch ?? DEFAULT_EF_SEARCH,
      seed: (options.seed ?? 1) >>> 0,
      count: 0,
      entry: -1,
      maxLevel: 0,
      levels: new Uint8Array(capacity),
      vectors: new Float32Array(capacity * options.dim),
      links0: new Int32Array(capacity * (2 * m + 1)),
      upper: [],
    });
  }

  static fromArrayBuffer(buffer: ArrayBuffer): HnswIndex {
    return new HnswIndex(decodeHnswState(buffer));
  }

  toArrayBuffer(): ArrayBuffer {
    return encodeHnswState(this.s);
  }

  get size(): number {
    return this.s.count;
  }

  get dim(): number {
    return this.s.dim;
  }

  /**
   * Announces that the next adds are the `count` rows of `vectors`, in order (a whole catalogue
   * built at once). They are coded for the SIMD kernel now, so each insertion walks the graph on
   * the codes as a query does (its candidates then rescored in float before the neighbour
   * heuristic). An add of anything else drops the codes and goes on in float.
   */
  planBulk(vectors: Float32Array, count: number): void {
    const { dim } = this.s;
    if (this.s.count !== 0 || count < 1 || vectors.length < count * dim) return;
    const rows = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) rows.set(this.prepare(vectors.subarray(i * dim, (i + 1) * dim)), i * dim);
    this.simd = createSimdVectors(rows, count, dim);
    this.bulk = this.simd ? { rows, count } : null;
  }

  /** Inserts a vector (Algorithm 1) and returns its id: ids are 0, 1, 2... in insertion order. */
  add(vector: Float32Array): number {
    const id = this.s.count;
    this.ensureCapacity(id + 1);
    const s = this.s; // read after ensureCapacity, which swaps in larger arrays
    const prepared = this.prepare(vector);
    if (!this.isBulkRow(id, prepared)) {
      this.simd = undefined;
      this.bulk = null;
    } else if (id === this.bulk!.count - 1) {
      // The last planned row: the codes now cover the whole index, the plan's copy can go.
      this.bulk = null;
    }
    s.vectors.set(prepared, id * s.dim);
    const level = this.drawLevel(id);
    s.levels[id] = level;
    if (level > 0) s.upper[id] = new Int32Array(level * (s.m + 1));
    s.count = id + 1;
    if (s.entry < 0) {
      s.entry = id;
      s.maxLevel = level;
      return id;
    }
    const q = s.vectors.subarray(id * s.dim, (id + 1) * s.dim);
    let ep = s.entry;
    for (let lc = s.maxLevel; lc > level; lc--) ep = this.greedyClosest(q, ep, lc);
    for (let lc = Math.min(level, s.maxLevel); lc >= 0; lc--) {
      const found = this.simd
        ? this.searchLayerCoded(q, ep, s.efConstruction, lc, this.simd)
        : this.searchLayer(q, ep, s.efConstruction, lc, undefined);
      const selected = this.selectNeighbours(found.ids, found.scores, s.m);
      this.setLinks(id, lc, selected);
      const maxLinks = lc === 0 ? 2 * s.m : s.m;
      for (const e of selected) this.connect(e, id, lc, maxLinks);
      // Next level starts from the closest element found (as hnswlib does) rather than all of W.
      ep = found.ids[0]!;
    }
    if (level > s.maxLevel) {
      s.entry = id;
      s.maxLevel = level;
    }
    return id;
  }

  /** K approximate nearest neighbours (Algorithm 5), best first, skipping excluded or filtered ids. */
  search(query: Float32Array, k: number, options: THnswSearchOptions = {}): THnswResult {
    const s = this.s;
    if (k <= 0 || s.entry < 0) return { ids: new Int32Array(0), scores: new Float32Array(0) };
    const q = this.prepare(query);
    const { exclude, filter } = options;
    const accept =
      exclude || filter ? (id: number) => !exclude?.has(id) && (filter ? filter(id) : true) : undefined;
    let ep = s.entry;
    for (let lc = s.maxLevel; lc > 0; lc--) ep = this.greedyClosest(q, ep, lc);
    this.prepareSearch();
    const ef = Math.max(k, options.ef ?? s.efSearch);
    if (!this.simd) {
      const found = this.searchLayer(q, ep, ef, 0, accept);
      const n = Math.min(k, found.ids.length);
      return {
        ids: Int32Array.from(found.ids.slice(0, n)),
        scores: Float32Array.from(found.scores.slice(0, n)),
      };
    }
    // The SIMD walk scores from int8 codes: rescore the ef it kept in float and keep the k best.
    this.walkLayer(q, ep, ef, 0, accept, this.simd);
    const top = this.rescoreKept(q, k);
    return { ids: top.items.slice(0, top.size), scores: Float32Array.from(top.scores.subarray(0, top.size)) };
  }

  /**
   * Makes the SIMD copy of the vectors the searches walk on (the first search after inserts would
   * otherwise pay for it); servers call it once the index is built or adopted.
   */
  prepareSearch(): void {
    if (this.simd === undefined) this.simd = createSimdVectors(this.s.vectors, this.s.count, this.s.dim);
  }

  /** Whether `prepared`, added as `id`, is the row planBulk coded for that id. */
  private isBulkRow(id: number, prepared: Float32Array): boolean {
    const bulk = this.bulk;
    if (!bulk || id >= bulk.count) return false;
    const { dim } = this.s;
    for (let d = 0; d < dim; d++) if (bulk.rows[id * dim + d] !== prepared[d]) return false;
    return true;
  }

  /** Level drawn as floor(-ln(U) * mL) with mL = 1/ln(M) (paper section 4.1), seeded per id. */
  private drawLevel(id: number): number {
    const u = 1 - createRng((this.s.seed ^ Math.imul(id + 1, 0x9e3779b9)) >>> 0)();
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(u) / Math.log(this.s.m)));
  }

  private prepare(vector: Float32Array): Float32Array {
    if (vector.length !== this.s.dim) {
      throw new RangeError(`HNSW: vector has ${vector.length} dimensions, index has ${this.s.dim}`);
    }
    if (this.s.metric !== "cosine") return vector;
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
    const out = new Float32Array(vector.length);
    if (norm === 0) return out;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) out[i] = vector[i]! * scale;
    return out;
  }

  private similarity(q: Float32Array, node: number): number {
    const { dim, vectors } = this.s;
    return dotAt(q, 0, vectors, node * dim, dim);
  }

  // Separate from similarity() so the heuristic's node-to-node products allocate no subarray.
  private nodeSimilarity(x: number, y: number): number {
    const { dim, vectors } = this.s;
    return dotAt(vectors, x * dim, vectors, y * dim, dim);
  }

  /** The array holding node's list on level; linksBase gives the offset of its count slot. */
  private linksArray(node: number, level: number): Int32Array {
    return level === 0 ? this.s.links0 : this.s.upper[node]!;
  }

  private linksBase(node: number, level: number): number {
    return level === 0 ? node * (2 * this.s.m + 1) : (level - 1) * (this.s.m + 1);
  }

  private setLinks(node: number, level: number, ids: ArrayLike<number>): void {
    const links = this.linksArray(node, level);
    const base = this.linksBase(node, level);
    links[base] = ids.length;
    for (let j = 0; j < ids.length; j++) links[base + 1 + j] = ids[j]!;
  }

  /** Adds a back link to e, shrinking its list with the heuristic when it overflows. */
  private connect(e: number, id: number, level: number, maxLinks: number): void {
    const links = this.linksArray(e, level);
    const base = this.linksBase(e, level);
    const n = links[base]!;
    if (n < maxLinks) {
      links[base + 1 + n] = id;
      links[base] = n + 1;
      return;
    }
    const ids = Array.from(links.subarray(base + 1, base + 1 + n));
    ids.push(id);
    const scores = ids.map((x) => this.nodeSimilarity(e, x));
    const order = ids.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || ids[a]! - ids[b]!);
    this.setLinks(
      e,
      level,
      this.selectNeighbours(
        order.map((i) => ids[i]!),
        order.map((i) => scores[i]!),
        maxLinks,
      ),
    );
  }

  /**
   * Algorithm 4 without extendCandidates or keepPrunedConnections (hnswlib's choice): take
   * candidates best first and keep one only if it is closer to the base than to every kept one.
   */
  private selectNeighbours(ids: ArrayLike<number>, scores: ArrayLike<number>, max: number): number[] {
    const kept: number[] = [];
    for (let i = 0; i < ids.length && kept.length < max; i++) {
      const e = ids[i]!;
      const toBase = scores[i]!;
      let good = true;
      for (const r of kept) {
        if (this.nodeSimilarity(e, r) > toBase) {
          good = false;
          break;
        }
      }
      if (good) kept.push(e);
    }
    return kept;
  }

  /** Greedy walk on one level (Algorithm 2 with ef = 1). */
  private greedyClosest(q: Float32Array, start: number, level: number): number {
    let best = start;
    let bestScore = this.similarity(q, best);
    for (let changed = true; changed; ) {
      changed = false;
      const links = this.linksArray(best, level);
      const base = this.linksBase(best, level);
      const n = links[base]!;
      for (let j = 1; j <= n; j++) {
        const e = links[base + j]!;
        const score = this.similarity(q, e);
        if (score > bestScore) {
          bestScore = score;
          best = e;
          changed = true;
        }
      }
    }
    return best;
  }

  /**
   * Algorithm 2: best-first search keeping the ef best. With accept, rejected nodes are still
   * walked through but never enter the result (hnswlib's filtered search).
   */
  private searchLayer(
    q: Float32Array,
    ep: number,
    ef: number,
    level: number,
    accept: ((id: number) => boolean) | undefined,
  ): { ids: number[]; scores: number[] } {
    this.walkLayer(q, ep, ef, level, accept, null);
    const { results } = this;
    const size = results.size;
    const ids = new Array<number>(size);
    const scores = new Array<number>(size);
    for (let i = size - 1; i >= 0; i--) {
      scores[i] = -results.topKey();
      ids[i] = results.pop();
    }
    return { ids, scores };
  }

  /** searchLayer on the codes: the ef kept are rescored in float and sorted best first. */
  private searchLayerCoded(
    q: Float32Array,
    ep: number,
    ef: number,
    level: number,
    simd: TSimdVectors,
  ): { ids: Int32Array; scores: Float64Array } {
    this.walkLayer(q, ep, ef, level, undefined, simd);
    const top = this.rescoreKept(q, this.results.size);
    return { ids: top.items.subarray(0, top.size), scores: top.scores.subarray(0, top.size) };
  }

  /** The `k` best of the nodes a coded walk kept (this.results), by their float inner product with q. */
  private rescoreKept(q: Float32Array, k: number): TopK {
    const kept = this.results;
    const top = new TopK(Math.min(k, kept.size));
    for (let i = 0; i < kept.size; i++) {
      const id = kept.idAt(i);
      top.push(id, this.similarity(q, id));
    }
    return top;
  }

  /** The walk of searchLayer; leaves the ef best in this.results (a max-heap on -score). */
  private walkLayer(
    q: Float32Array,
    ep: number,
    ef: number,
    level: number,
    accept: ((id: number) => boolean) | undefined,
    simd: TSimdVectors | null,
  ): void {
    const { candidates, results } = this;
    candidates.clear();
    results.clear();
    const mark = this.nextEpoch();
    const visited = this.visited;
    // The hot loop reads the graph and the vectors through locals and computes the products inline:
    // a query at ef 256 scores thousands of nodes, and per-call property reads cost as much as the
    // arithmetic.
    const { dim, vectors, links0, upper, m } = this.s;
    const stride0 = 2 * m + 1;
    const upperBase = (level - 1) * (m + 1);
    const floatDot = (node: number): number => dotAt(q, 0, vectors, node * dim, dim);
    // Each expanded node's unvisited neighbours are scored as one batch: with SIMD in one kernel
    // call (their vectors' loads overlap), else here in float.
    simd?.setQuery(q);
    const batch = simd ? simd.batchIds : this.batchIds;
    const products = simd ? simd.batchProducts : this.batchScores;
    const scale = simd ? simd.scale() : 1;
    visited[ep] = mark;
    const epScore = simd ? simd.dot(ep) : floatDot(ep);
    candidates.push(ep, epScore);
    // results is a max-heap on -score, so its top is the worst kept element.
    if (!accept || accept(ep)) results.push(ep, -epScore);
    let worst = results.size > 0 ? -results.topKey() : Number.NEGATIVE_INFINITY;
    while (candidates.size > 0) {
      const score = candidates.topKey();
      if (results.size >= ef && score < worst) break;
      const c = candidates.pop();
      const links = level === 0 ? links0 : upper[c]!;
      const base = level === 0 ? c * stride0 : upperBase;
      const n = links[base]!;
      let count = 0;
      for (let j = base + 1; j <= base + n; j++) {
        const e = links[j]!;
        if (visited[e] === mark) continue;
        visited[e] = mark;
        batch[count++] = e;
      }
      if (count === 0) continue;
      if (simd) simd.dots(count);
      else for (let t = 0; t < count; t++) products[t] = floatDot(batch[t]!);
      for (let t = 0; t < count; t++) {
        const e = batch[t]!;
        const es = products[t]! * scale;
        if (results.size < ef || es > worst) {
          candidates.push(e, es);
          if (!accept || accept(e)) {
            results.push(e, -es);
            if (results.size > ef) results.pop();
            worst = -results.topKey();
          }
        }
      }
    }
  }

  private nextEpoch(): number {
    if (this.visited.length < this.s.levels.length) this.visited = new Uint32Array(this.s.levels.length);
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.visited.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }

  private ensureCapacity(needed: number): void {
    const s = this.s;
    const capacity = s.levels.length;
    if (needed <= capacity) return;
    const next = Math.max(needed, capacity * 2);
    const levels = new Uint8Array(next);
    levels.set(s.levels);
    const vectors = new Float32Array(next * s.dim);
    vectors.set(s.vectors);
    const links0 = new Int32Array(next * (2 * s.m + 1));
    links0.set(s.links0);
    this.s = { ...s, levels, vectors, links0 };
  }
}
