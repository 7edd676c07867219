// Real-time scoring over a decoded model artifact: what an API process runs per `recommend` and
// `similarItems` request. Every path returns, besides the top items, why each was chosen:
// - factor models: the user's vector is either the trained one or a fold-in of their recent items,
//   solved as implicit ALS solves a user (Hu, Koren & Volinsky 2008, eq. 4), with the trained vector
//   (or zero for a new user) as the ridge prior. The score then splits exactly into one term per
//   history item, y_j . A^-1 (c_h y_h) (the same paper, section 5), which names the items that drove it;
// - neighbour models: the sum of neighbour weights over the user's history (item-kNN over a session);
// - popularity when the user has nothing (or the model has no personal part): within the user's
//   segment when the artifact carries segment popularity and the user is a member, filled up from
//   overall popularity when the segment runs short; overall popularity otherwise;
// - the content model (CONTENT_RIDGE, content-ridge.ts): the user's column of W is re-solved from the
//   history, q = A^-1 sum_h w_h x_h / N (exact, the closed form is linear in the targets), and item i
//   scores x_i . q; the reasons are the feature blocks whose share of that product is largest.
// Large catalogues search an HNSW index over the item factors (inner product) instead of scanning.
import { choleskyInPlace, solveCholeskyInPlace } from "./dense-spd-inverse.ts";
import { HnswIndex } from "./hnsw.ts";
import type { TModelArtifact } from "./model-artifact.ts";
import { TopK } from "./top-k.ts";

export type TServingSource =
  | "FACTORS_USER"
  | "FACTORS_FOLD_IN"
  | "NEIGHBOURS_HISTORY"
  | "HYBRID"
  | "CONTENT_USER"
  | "CONTENT_FOLD_IN"
  | "SEGMENT_POPULARITY"
  | "POPULARITY";

export type TReason =
  | { kind: "HISTORY_ITEM"; item: number; weight: number }
  | { kind: "NEIGHBOUR_ITEM"; item: number; weight: number }
  | { kind: "LATENT_FACTOR"; factor: number; weight: number }
  /** `block` is the position in the artifact's content blocks; `weight` its share of x_i . q. */
  | { kind: "FEATURE_BLOCK"; block: number; weight: number }
  | { kind: "POPULARITY"; weight: number }
  /** `segment` is the position in the artifact's segments list; `weight` the members' interactions. */
  | { kind: "SEGMENT_POPULARITY"; segment: number; weight: number };

export type TScoredItem = { item: number; score: number; reasons: TReason[] };

/** A user's recent items (distinct internal indices) with their confidence (e.g. 1 per click, more per purchase). */
export type THistory = { items: Int32Array; weights: Float32Array };

export type TRecommendRequest = {
  /** Internal index of a training user, or -1 for a user the model never saw. */
  user: number;
  history: THistory;
  first: number;
  /** Items never to return (e.g. already seen); checked before `allow`. */
  exclude?: ReadonlySet<number>;
  /** Metadata filter (category, price...); items failing it are never returned. */
  allow?: (item: number) => boolean;
  /** Segment position of the user (see `segmentOf`), -1 or omitted when in none. */
  segment?: number;
};

export type TRecommendAnswer = { source: TServingSource; items: TScoredItem[] };

export type TArtifactScorerOptions = {
  /** Catalogues at least this large search an HNSW index for factor models (default 20,000). */
  annMinItems?: number;
  /**
   * HNSW ef at query time (default ANN_EF; raised to `first` when smaller). `npm run bench -- serve`
   * reports recall@10 against the exact scan and the query time for several values.
   */
  annEf?: number;
  /** Reasons kept per result. */
  maxReasons?: number;
};

/**
 * Default HNSW ef. On the serve benchmark's 100,000 x 64 isotropic Gaussian factors (a hard case:
 * no cluster structure, intrinsic dimension 64), with the index's M 32, recall@10 against the exact
 * scan over 500 users was 0.955 at ef 128, 0.973 at 160 and 0.984 at 192 (p50 0.33, 0.40 and 0.47
 * ms). M 16 needed ef 384 for 0.972 (0.58 ms). (Reducing inner product to cosine by an extra
 * coordinate, Bachrach et al. 2014, was tried there and fell to 0.15 at 256: the extra coordinate,
 * set by each item's norm, dominates item-to-item similarity, so the graph links items of equal
 * length.)
 */
export const ANN_EF = 160;

/** Catalogues from this size on are queried through the HNSW index (smaller ones are scanned). */
export const ANN_MIN_ITEMS = 20_000;

/** The acceptor of a request that neither excludes nor filters. */
const ACCEPT_ALL = (_item: number): boolean => true;

const EMPTY_HISTORY: THistory = { items: new Int32Array(0), weights: new Float32Array(0) };
export const emptyHistory = (): THistory => EMPTY_HISTORY;

const num = (value: unknown, fallback: number): number =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

export class ArtifactScorer {
  readonly artifact: TModelArtifact;
  readonly itemCount: number;
  readonly itemIndex: Map<string, number>;
  readonly userIndex: Map<string, number>;
  /** Segment position of each member of the artifact's segment set (noise users are not members). */
  private readonly segmentIndex: Map<string, number>;
  /** Items by descending popularity, for the fallback walk. */
  private readonly byPopularity: Int32Array;
  private readonly gram?: Float64Array;
  private readonly alpha: number;
  private readonly lambda: number;
  private readonly annMinItems: number;
  private readonly annEf: number;
  private readonly maxReasons: number;
  private ann: HnswIndex | null = null;
  private annBuild: Promise<void> | null = null;
  private annAbandoned = false;
  private readonly accumulator: Float32Array;

  constructor(artifact: TModelArtifact, options: TArtifactScorerOptions = {}) {
    this.artifact = artifact;
    this.itemCount = artifact.itemIds.length;
    this.itemIndex = new Map(artifact.itemIds.map((id, i) => [id, i]));
    this.userIndex = new Map(artifact.userIds.map((id, i) => [id, i]));
    const segments = artifact.segments;
    this.segmentIndex = new Map(segments?.memberIds.map((id, m) => [id, segments.memberSegment[m]!]));
    const order = Array.from({ length: this.itemCount }, (_, i) => i);
    order.sort((a, b) => artifact.popularity[b]! - artifact.popularity[a]! || a - b);
    this.byPopularity = Int32Array.from(order);
    // Fold-in uses the training's confidence scale and regulariser when recorded (ALS params), else
    // alpha 1, lambda 0.1: a plain ridge least squares over the clicked items.
    this.alpha = num(artifact.params.alpha, 1);
    this.lambda = num(artifact.params.lambda ?? artifact.params.regularization, 0.1);
    this.annMinItems = options.annMinItems ?? ANN_MIN_ITEMS;
    this.annEf = Math.max(1, options.annEf ?? ANN_EF);
    this.maxReasons = options.maxReasons ?? 3;
    this.accumulator = new Float32Array(this.itemCount);
    if (artifact.factors && !artifact.content)
      this.gram = gramOf(artifact.factors.item, this.itemCount, artifact.factors.dim);
  }

  /** The user's segment position in the artifact's segments list, -1 when in none (or no segments). */
  segmentOf(userId: string): number {
    return this.segmentIndex.get(userId) ?? -1;
  }

  /** Whether factor queries go through the HNSW index (large catalogues) once it is built. */
  get usesAnn(): boolean {
    return ArtifactScorer.usesAnnFor(this.artifact, this.annMinItems);
  }

  /** Whether a scorer of `artifact` queries an HNSW index, without making one. */
  static usesAnnFor(artifact: TModelArtifact, annMinItems = ANN_MIN_ITEMS): boolean {
    return !!artifact.factors && artifact.itemIds.length >= annMinItems;
  }

  get annReady(): boolean {
    return this.ann !== null;
  }

  /** Stops an index build in progress at its next slice (the model was replaced or the process stops). */
  abandonAnn(): void {
    this.annAbandoned = true;
  }

  /** The built index as bytes (to cache beside the artifact), or null before it is built. */
  exportAnn(): ArrayBuffer | null {
    return this.ann ? this.ann.toArrayBuffer() : null;
  }

  /** Adopts a cached index; refused when it does not cover this model's item factors. */
  importAnn(buffer: ArrayBuffer): void {
    const index = HnswIndex.fromArrayBuffer(buffer);
    const dim = this.artifact.factors?.dim;
    if (index.size !== this.itemCount || index.dim !== dim) {
      throw new Error(`HNSW cache holds ${index.size} x ${index.dim}, model has ${this.itemCount} x ${dim}`);
    }
    index.prepareSearch();
    this.ann = index;
  }

  /**
   * Builds the HNSW index over the item factors in slices of at most `sliceMs` of CPU, yielding to
   * the event loop between them so a serving process keeps answering (exactly, by scan) while it
   * builds. No-op for small catalogues.
   */
  buildAnn(sliceMs = 15): Promise<void> {
    if (!this.usesAnn || !this.artifact.factors) return Promise.resolve();
    if (this.annBuild) return this.annBuild;
    const { dim, item } = this.artifact.factors;
    // M 32 with efConstruction 100: on the serve benchmark's 100,000 x 64 factors, as fast at ef 160
    // (recall@10 0.973) as M 16 at ef 256 (0.942), and as good as M 24 with efConstruction 150 for
    // the same build time (about twice M 16's); bench/serve.bench.ts reports the recall it gets.
    const index = HnswIndex.create({
      dim,
      metric: "inner-product",
      m: 32,
      efConstruction: 100,
      initialCapacity: this.itemCount,
      seed: 1,
    });
    // The whole catalogue goes in: insertion walks run on the SIMD codes.
    index.planBulk(item, this.itemCount);
    this.annBuild = (async () => {
      let i = 0;
      while (i < this.itemCount) {
        if (this.annAbandoned) return;
        const until = performance.now() + sliceMs;
        do {
          index.add(item.subarray(i * dim, (i + 1) * dim));
          i++;
        } while (i < this.itemCount && performance.now() < until);
        await new Promise((resolve) => setImmediate(resolve));
      }
      index.prepareSearch();
      this.ann = index;
    })();
    return this.annBuild;
  }

  recommend(request: TRecommendRequest): TRecommendAnswer {
    const { artifact } = this;
    const first = Math.max(0, Math.floor(request.first));
    const hasHistory = request.history.items.length > 0;
    const accept = this.acceptor(request.exclude, request.allow);
    if (artifact.algorithm === "HYBRID" && (hasHistory || request.user >= 0)) {
      return { source: "HYBRID", items: this.recommendHybrid(request, first, accept) };
    }
    if (artifact.content && artifact.algorithm !== "HYBRID" && (hasHistory || request.user >= 0)) {
      const query = this.contentVector(request.user, request.history);
      return {
        source: hasHistory ? "CONTENT_FOLD_IN" : "CONTENT_USER",
        items: this.searchFactors(query, first, accept).map(({ item, score }) => ({
          item,
          score,
          reasons: this.blockReasons(item, query),
        })),
      };
    }
    if (artifact.factors && (hasHistory || request.user >= 0)) {
      const query = this.userVector(request.user, request.history);
      const found = this.searchFactors(query.vector, first, accept);
      return {
        source: hasHistory ? "FACTORS_FOLD_IN" : "FACTORS_USER",
        items: found.map(({ item, score }) => ({ item, score, reasons: this.factorReasons(item, query) })),
      };
    }
    if (artifact.neighbours && hasHistory) {
      const items = this.neighbourTop(request.history, first, accept);
      if (items.length > 0) return { source: "NEIGHBOURS_HISTORY", items };
    }
    const segment = request.segment ?? -1;
    if (segment >= 0 && artifact.segments && segment < artifact.segments.list.length) {
      const items = this.segmentPopularTop(segment, first, accept);
      if (items.length > 0) return { source: "SEGMENT_POPULARITY", items };
    }
    return { source: "POPULARITY", items: this.popularTop(first, accept) };
  }

  /**
   * The segment's most popular acceptable items (score = the members' interactions), then, when the
   * segment's list runs short, overall popular items not listed yet. Those fill items score 0: the
   * answer stays ordered by score, and their reason carries the overall count.
   */
  private segmentPopularTop(
    segment: number,
    first: number,
    accept: (item: number) => boolean,
  ): TScoredItem[] {
    const { k, items, counts } = this.artifact.segments!.top;
    const out: TScoredItem[] = [];
    const taken = new Set<number>();
    for (let t = segment * k; t < (segment + 1) * k && out.length < first; t++) {
      const item = items[t]!;
      if (item < 0) break;
      if (!accept(item)) continue;
      taken.add(item);
      out.push({
        item,
        score: counts[t]!,
        reasons: [{ kind: "SEGMENT_POPULARITY", segment, weight: counts[t]! }],
      });
    }
    if (out.length === 0 || out.length >= first) return out;
    const fill = this.popularTop(first - out.length, (item) => !taken.has(item) && accept(item));
    for (const found of fill) out.push({ ...found, score: 0 });
    return out;
  }

  /** Items most similar to `item`: its neighbour row, or the closest item factors, else popularity. */
  similarItems(item: number, first: number, allow?: (item: number) => boolean): TScoredItem[] {
    const exclude = new Set([item]);
    const accept = this.acceptor(exclude, allow);
    const { neighbours, factors } = this.artifact;
    if (neighbours) {
      const top = new TopK(first);
      for (let t = 0; t < neighbours.k; t++) {
        const j = neighbours.index[item * neighbours.k + t]!;
        if (j >= 0 && accept(j)) top.push(j, neighbours.weight[item * neighbours.k + t]!);
      }
      if (top.size > 0) {
        return top.toList().map(({ item: j, score }) => ({
          item: j,
          score,
          reasons: [{ kind: "NEIGHBOUR_ITEM", item, weight: score }],
        }));
      }
    }
    if (factors) {
      const query = factors.item.subarray(item * factors.dim, (item + 1) * factors.dim);
      return this.searchFactors(query, first, accept).map(({ item: j, score }) => ({
        item: j,
        score,
        reasons: topFactorReasons(query, factors.item, j, factors.dim, this.maxReasons),
      }));
    }
    return this.popularTop(first, accept);
  }

  private acceptor(
    exclude?: ReadonlySet<number>,
    allow?: (item: number) => boolean,
  ): (item: number) => boolean {
    if (exclude && exclude.size > 0)
      return allow ? (i) => !exclude.has(i) && allow(i) : (i) => !exclude.has(i);
    return allow ?? ACCEPT_ALL;
  }

  /**
   * The content model's user column q = A^-1 (sum_h w_h x_h) / N: from the history when there is one
   * (it holds the training history too, so a trained user's column is reproduced exactly), else the
   * trained column of W.
   */
  contentVector(user: number, history: THistory): Float32Array {
    const { dim, user: columns, item: features } = this.contentArrays();
    const { solve, n } = this.artifact.content!;
    if (history.items.length === 0) {
      return user >= 0 ? columns.slice(user * dim, (user + 1) * dim) : new Float32Array(dim);
    }
    const sum = new Float64Array(dim);
    for (let h = 0; h < history.items.length; h++) {
      const base = history.items[h]! * dim;
      const w = history.weights[h]! / n;
      for (let k = 0; k < dim; k++) sum[k]! += w * features[base + k]!;
    }
    const query = new Float32Array(dim);
    for (let r = 0; r < dim; r++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += solve[r * dim + c]! * sum[c]!;
      query[r] = s;
    }
    return query;
  }

  /** The content model's X and W columns: its own in a HYBRID, else the factors (CONTENT_RIDGE). */
  private contentArrays(): { dim: number; user: Float32Array; item: Float32Array } {
    const content = this.artifact.content!;
    if (content.item && content.user && content.dim !== undefined) {
      return { dim: content.dim, user: content.user, item: content.item };
    }
    return this.artifact.factors!;
  }

  /** Top items by x_i . query over the content model's features (a scan). */
  private searchContent(query: Float32Array, first: number, accept: (item: number) => boolean) {
    const { dim, item: features } = this.contentArrays();
    const top = new TopK(first);
    for (let i = 0; i < this.itemCount; i++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += query[k]! * features[i * dim + k]!;
      if (s >= top.floor && accept(i)) top.push(i, s);
    }
    return top.toList();
  }

  /** Each feature block's share sum_{k in block} x_ik q_k of the score, largest first. */
  private blockReasons(item: number, query: Float32Array): TReason[] {
    const { dim, item: features } = this.contentArrays();
    const reasons: TReason[] = this.artifact.content!.blocks.map((block, b) => {
      let s = 0;
      for (let k = block.offset; k < block.offset + block.width; k++)
        s += features[item * dim + k]! * query[k]!;
      return { kind: "FEATURE_BLOCK", block: b, weight: s };
    });
    return reasons
      .filter((reason) => reason.weight > 0)
      .sort((p, q) => q.weight - p.weight)
      .slice(0, this.maxReasons);
  }

  /** The user's vector and, for a fold-in, each history item's share w_h = A^-1 (c_h y_h) of it. */
  private userVector(user: number, history: THistory): TUserQuery {
    const { dim, user: userFactors, item: itemFactors } = this.artifact.factors!;
    const prior = user >= 0 ? userFactors.subarray(user * dim, (user + 1) * dim) : null;
    if (history.items.length === 0) return { vector: prior ?? new Float32Array(dim), shares: null };
    // A = Y^T Y + sum_h (c_h - 1) y_h y_h^T + lambda I, with c_h = 1 + alpha * w_h (eq. 4 of Hu et al.).
    const a = Float64Array.from(this.gram!);
    const n = history.items.length;
    const confidence = new Float64Array(n);
    for (let h = 0; h < n; h++) {
      const y = history.items[h]! * dim;
      confidence[h] = 1 + this.alpha * history.weights[h]!;
      const extra = confidence[h]! - 1;
      for (let r = 0; r < dim; r++) {
        const yr = extra * itemFactors[y + r]!;
        for (let c = 0; c <= r; c++) a[r * dim + c]! += yr * itemFactors[y + c]!;
      }
    }
    for (let r = 0; r < dim; r++) {
      a[r * dim + r]! += this.lambda;
      for (let c = 0; c < r; c++) a[c * dim + r] = a[r * dim + c]!;
    }
    choleskyInPlace(a, dim);
    // Right-hand sides: one per history item (c_h y_h, p = 1) plus the prior lambda x0.
    const shares = new Float32Array(n * dim);
    const vector = new Float32Array(dim);
    const rhs = new Float64Array(dim);
    for (let h = 0; h < n; h++) {
      const y = history.items[h]! * dim;
      for (let r = 0; r < dim; r++) rhs[r] = confidence[h]! * itemFactors[y + r]!;
      solveCholeskyInPlace(a, dim, rhs);
      for (let r = 0; r < dim; r++) {
        shares[h * dim + r] = rhs[r]!;
        vector[r]! += rhs[r]!;
      }
    }
    if (prior) {
      for (let r = 0; r < dim; r++) rhs[r] = this.lambda * prior[r]!;
      solveCholeskyInPlace(a, dim, rhs);
      for (let r = 0; r < dim; r++) vector[r]! += rhs[r]!;
    }
    return { vector, shares, history };
  }

  private factorReasons(item: number, query: TUserQuery): TReason[] {
    const { dim, item: itemFactors } = this.artifact.factors!;
    if (!query.shares || !query.history) {
      return topFactorReasons(query.vector, itemFactors, item, dim, this.maxReasons);
    }
    const y = item * dim;
    const reasons: TReason[] = [];
    for (let h = 0; h < query.history.items.length; h++) {
      let s = 0;
      for (let r = 0; r < dim; r++) s += itemFactors[y + r]! * query.shares[h * dim + r]!;
      reasons.push({ kind: "HISTORY_ITEM", item: query.history.items[h]!, weight: s });
    }
    return reasons.sort((p, q) => q.weight - p.weight).slice(0, this.maxReasons);
  }

  /** Top items by inner product with `query`: HNSW for large catalogues once built, else a scan. */
  private searchFactors(
    query: Float32Array,
    first: number,
    accept: (item: number) => boolean,
  ): { item: number; score: number }[] {
    const { dim, item: itemFactors } = this.artifact.factors!;
    if (this.ann) {
      const found = this.ann.search(query, first, {
        ef: Math.max(this.annEf, first),
        // Without a filter the walk keeps every node it scores, with no call per node.
        filter: accept === ACCEPT_ALL ? undefined : accept,
      });
      // A narrow filter can leave the graph walk short of a full page: then scan exactly.
      if (found.ids.length >= Math.min(first, this.itemCount)) {
        return Array.from(found.ids, (item, i) => ({ item, score: found.scores[i]! }));
      }
    }
    const top = new TopK(first);
    for (let i = 0; i < this.itemCount; i++) {
      const base = i * dim;
      let s = 0;
      for (let r = 0; r < dim; r++) s += query[r]! * itemFactors[base + r]!;
      if (s >= top.floor && accept(i)) top.push(i, s);
    }
    return top.toList();
  }

  private neighbourTop(history: THistory, first: number, accept: (item: number) => boolean): TScoredItem[] {
    const { k, index, weight } = this.artifact.neighbours!;
    const acc = this.accumulator;
    const touched: number[] = [];
    for (let h = 0; h < history.items.length; h++) {
      const base = history.items[h]! * k;
      const c = history.weights[h]!;
      for (let t = 0; t < k; t++) {
        const j = index[base + t]!;
        if (j < 0) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j]! += c * weight[base + t]!;
      }
    }
    const top = new TopK(first);
    for (const j of touched) {
      if (acc[j]! > 0 && accept(j)) top.push(j, acc[j]!);
      acc[j] = 0;
    }
    return top
      .toList()
      .map(({ item, score }) => ({ item, score, reasons: this.neighbourReasons(item, history) }));
  }

  private neighbourReasons(item: number, history: THistory): TReason[] {
    const { k, index, weight } = this.artifact.neighbours!;
    const reasons: TReason[] = [];
    for (let h = 0; h < history.items.length; h++) {
      const base = history.items[h]! * k;
      for (let t = 0; t < k; t++) {
        if (index[base + t] === item) {
          reasons.push({
            kind: "HISTORY_ITEM",
            item: history.items[h]!,
            weight: history.weights[h]! * weight[base + t]!,
          });
        }
      }
    }
    return reasons.sort((p, q) => q.weight - p.weight).slice(0, this.maxReasons);
  }

  private popularTop(first: number, accept: (item: number) => boolean): TScoredItem[] {
    const out: TScoredItem[] = [];
    for (let r = 0; r < this.byPopularity.length && out.length < first; r++) {
      const item = this.byPopularity[r]!;
      if (!accept(item)) continue;
      const score = this.artifact.popularity[item]!;
      out.push({ item, score, reasons: [{ kind: "POPULARITY", weight: score }] });
    }
    return out;
  }

  /**
   * HYBRID: candidates from each part (factor top, neighbour sums, popular items), each part's
   * scores standardised over the candidates (as hybrid-blend standardises full vectors), then blended.
   */
  private recommendHybrid(
    request: TRecommendRequest,
    first: number,
    accept: (item: number) => boolean,
  ): TScoredItem[] {
    const blend = this.artifact.blend ?? {};
    const pool = Math.max(50, first * 5);
    const candidates = new Map<number, { parts: [number, number, number, number]; reasons: TReason[] }>();
    const add = (item: number, part: 0 | 1 | 2 | 3, score: number, reasons: TReason[]) => {
      let entry = candidates.get(item);
      if (!entry) {
        entry = { parts: [Number.NaN, Number.NaN, this.artifact.popularity[item]!, Number.NaN], reasons: [] };
        candidates.set(item, entry);
      }
      entry.parts[part] = score;
      entry.reasons.push(...reasons);
    };
    let query: TUserQuery | null = null;
    if (this.artifact.factors && (blend.factors ?? 0) > 0) {
      query = this.userVector(request.user, request.history);
      for (const { item, score } of this.searchFactors(query.vector, pool, accept)) add(item, 0, score, []);
    }
    if (this.artifact.neighbours && (blend.neighbours ?? 0) > 0 && request.history.items.length > 0) {
      for (const found of this.neighbourTop(request.history, pool, accept))
        add(found.item, 1, found.score, found.reasons);
    }
    for (const found of this.popularTop(Math.min(pool, 20), accept)) add(found.item, 2, found.score, []);
    if (this.artifact.content && (blend.content ?? 0) > 0) {
      const q = this.contentVector(request.user, request.history);
      for (const { item, score } of this.searchContent(q, pool, accept)) {
        add(item, 3, score, this.blockReasons(item, q));
      }
    }
    // Parts missing for a candidate score as that part's candidate minimum (0 after standardising is the mean).
    const entries = [...candidates.entries()];
    const weights = [blend.factors ?? 0, blend.neighbours ?? 0, blend.popularity ?? 0, blend.content ?? 0];
    const z = [0, 1, 2, 3].map((p) => standardise(entries.map(([, e]) => e.parts[p]!)));
    const top = new TopK(first);
    entries.forEach(([item], i) => {
      top.push(
        item,
        weights.reduce((sum, w, p) => sum + w * z[p]![i]!, 0),
      );
    });
    return top.toList().map(({ item, score }) => {
      const entry = candidates.get(item)!;
      const reasons = query ? [...entry.reasons, ...this.factorReasons(item, query)] : entry.reasons;
      const unique = reasons.sort((p, q) => q.weight - p.weight).slice(0, this.maxReasons);
      return {
        item,
        score,
        reasons: unique.length > 0 ? unique : [{ kind: "POPULARITY", weight: entry.parts[2] }],
      };
    });
  }
}

type TUserQuery = { vector: Float32Array; shares: Float32Array | null; history?: THistory };

/** Y^T Y (dim x dim, lower and upper), computed once per model for every fold-in. */
const gramOf = (item: Float32Array, count: number, dim: number): Float64Array => {
  const g = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let r = 0; r < dim; r++) row[r] = item[i * dim + r]!;
    for (let r = 0; r < dim; r++) {
      const v = row[r]!;
      const base = r * dim;
      for (let c = 0; c <= r; c++) g[base + c]! += v * row[c]!;
    }
  }
  for (let r = 0; r < dim; r++) for (let c = 0; c < r; c++) g[c * dim + r] = g[r * dim + c]!;
  return g;
};

/** The latent factors contributing most to query . y_item: the "features" behind a factor score. */
const topFactorReasons = (
  query: Float32Array,
  itemFactors: Float32Array,
  item: number,
  dim: number,
  keep: number,
): TReason[] => {
  const reasons: TReason[] = [];
  for (let r = 0; r < dim; r++)
    reasons.push({ kind: "LATENT_FACTOR", factor: r, weight: query[r]! * itemFactors[item * dim + r]! });
  return reasons.sort((p, q) => q.weight - p.weight).slice(0, keep);
};

/** z-scores of the finite values; a missing (NaN) value scores as the minimum of the others. */
const standardise = (values: number[]): number[] => {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return values.map(() => 0);
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length) || 1;
  const min = Math.min(...finite);
  return values.map((v) => ((Number.isFinite(v) ? v : min) - mean) / sd);
};
