// Candidate generation over item factors: the top items by inner product with a query vector, from
// an HNSW index for large catalogues (built in slices beside serving, or adopted from a cache) and
// from an exact scan for small ones, while the index builds, or when a narrow filter leaves it short.
import { HnswIndex } from "../hnsw.ts";
import { addRowsInSlices } from "../hnsw-build.ts";
import type { TModelArtifact } from "../model-artifact.ts";
import { TopK } from "../top-k.ts";
import { ACCEPT_ALL } from "./item-acceptor.ts";
import type { TAccept, TFoundItem } from "./scorer-types.ts";

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

/** Whether factor queries of `artifact` go through an HNSW index, without making one. */
export const usesAnnFor = (artifact: TModelArtifact, annMinItems = ANN_MIN_ITEMS): boolean =>
  !!artifact.factors && artifact.itemIds.length >= annMinItems;

export class FactorIndex {
  private readonly artifact: TModelArtifact;
  private readonly itemCount: number;
  private readonly annMinItems: number;
  private readonly annEf: number;
  private ann: HnswIndex | null = null;
  private annBuild: Promise<void> | null = null;
  private annAbandoned = false;

  constructor(artifact: TModelArtifact, options: { annMinItems: number; annEf: number }) {
    this.artifact = artifact;
    this.itemCount = artifact.itemIds.length;
    this.annMinItems = options.annMinItems;
    this.annEf = options.annEf;
  }

  get usesAnn(): boolean {
    return usesAnnFor(this.artifact, this.annMinItems);
  }

  get ready(): boolean {
    return this.ann !== null;
  }

  /** Stops a build in progress at its next slice. */
  abandon(): void {
    this.annAbandoned = true;
  }

  /** The built index as bytes, or null before it is built. */
  export(): ArrayBuffer | null {
    return this.ann ? this.ann.toArrayBuffer() : null;
  }

  /** Adopts a cached index; refused when it does not cover the model's item factors. */
  import(buffer: ArrayBuffer): void {
    const index = HnswIndex.fromArrayBuffer(buffer);
    const dim = this.artifact.factors?.dim;
    if (index.size !== this.itemCount || index.dim !== dim) {
      throw new Error(`HNSW cache holds ${index.size} x ${index.dim}, model has ${this.itemCount} x ${dim}`);
    }
    index.prepareSearch();
    this.ann = index;
  }

  /**
   * Builds the index in slices of at most `sliceMs` of CPU, yielding to the event loop between them
   * so a serving process keeps answering (exactly, by scan) while it builds. No-op for small catalogues.
   */
  build(sliceMs: number): Promise<void> {
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
    this.annBuild = (async () => {
      if (await addRowsInSlices(index, item, this.itemCount, sliceMs, () => this.annAbandoned)) {
        this.ann = index;
      }
    })();
    return this.annBuild;
  }

  /** Top items by inner product with `query`: HNSW for large catalogues once built, else a scan. */
  search(query: Float32Array, first: number, accept: TAccept): TFoundItem[] {
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
    return scanTop(itemFactors, dim, this.itemCount, query, first, accept);
  }
}

/** Exact top items by x_i . query over row-major item vectors (a scan with a size-`first` heap). */
export const scanTop = (
  vectors: Float32Array,
  dim: number,
  itemCount: number,
  query: Float32Array,
  first: number,
  accept: TAccept,
): TFoundItem[] => {
  const top = new TopK(first);
  for (let i = 0; i < itemCount; i++) {
    const base = i * dim;
    let s = 0;
    for (let r = 0; r < dim; r++) s += query[r]! * vectors[base + r]!;
    if (s >= top.floor && accept(i)) top.push(i, s);
  }
  return top.toList();
};
