// Real-time scoring over a decoded model artifact: what an API process runs per `recommend` and
// `similarItems` request. This file owns the routing (which part answers which request, and the
// `source` it reports) and the scorer's public surface; the parts live in scoring/:
// - scorer-types.ts       the request, answer and reason shapes
// - item-acceptor.ts      exclusion of seen items and the metadata filter, as one predicate
// - factor-index.ts       candidates by inner product: HNSW for large catalogues, else an exact scan
// - factor-fold-in.ts     a user's factor vector from their fresh events (implicit ALS fold-in)
// - neighbour-scoring.ts  item-kNN over the history, and an item's neighbour row
// - content-scoring.ts    the content model's user column from the history, and its scores
// - popularity-scoring.ts cold start: segment popularity, then overall popularity
// - hybrid-scoring.ts     HYBRID's blend of the parts above
// - score-reasons.ts      why each item was chosen, per kind of model
// Every path returns, besides the top items, why each was chosen.
import type { TModelArtifact } from "./model-artifact.ts";
import { ContentScoring, factorsAreContentFeatures } from "./scoring/content-scoring.ts";
import { FactorFoldIn } from "./scoring/factor-fold-in.ts";
import { ANN_EF, ANN_MIN_ITEMS, FactorIndex, usesAnnFor } from "./scoring/factor-index.ts";
import { HybridScoring } from "./scoring/hybrid-scoring.ts";
import { acceptorOf } from "./scoring/item-acceptor.ts";
import { NeighbourScoring } from "./scoring/neighbour-scoring.ts";
import { PopularityScoring } from "./scoring/popularity-scoring.ts";
import { topFactorReasons, userQueryReasons } from "./scoring/score-reasons.ts";
import type { THistory, TRecommendAnswer, TRecommendRequest, TScoredItem } from "./scoring/scorer-types.ts";

export { ANN_EF, ANN_MIN_ITEMS } from "./scoring/factor-index.ts";
export {
  emptyHistory,
  type THistory,
  type TReason,
  type TRecommendAnswer,
  type TRecommendRequest,
  type TScoredItem,
  type TServingSource,
} from "./scoring/scorer-types.ts";

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

export class ArtifactScorer {
  readonly artifact: TModelArtifact;
  readonly itemCount: number;
  readonly itemIndex: Map<string, number>;
  readonly userIndex: Map<string, number>;
  private readonly maxReasons: number;
  private readonly factorIndex: FactorIndex;
  /** Set when the factors are a factor model's (not CONTENT_RIDGE's features). */
  private readonly foldIn: FactorFoldIn | null;
  private readonly neighbours: NeighbourScoring | null;
  private readonly content: ContentScoring | null;
  private readonly popularity: PopularityScoring;
  /** Set for HYBRID artifacts. */
  private readonly hybrid: HybridScoring | null;

  constructor(artifact: TModelArtifact, options: TArtifactScorerOptions = {}) {
    this.artifact = artifact;
    this.itemCount = artifact.itemIds.length;
    this.itemIndex = new Map(artifact.itemIds.map((id, i) => [id, i]));
    this.userIndex = new Map(artifact.userIds.map((id, i) => [id, i]));
    this.maxReasons = options.maxReasons ?? 3;
    this.factorIndex = new FactorIndex(artifact, {
      annMinItems: options.annMinItems ?? ANN_MIN_ITEMS,
      annEf: Math.max(1, options.annEf ?? ANN_EF),
    });
    this.foldIn =
      artifact.factors && !factorsAreContentFeatures(artifact) ? new FactorFoldIn(artifact) : null;
    this.neighbours = artifact.neighbours ? new NeighbourScoring(artifact) : null;
    this.content = artifact.content ? new ContentScoring(artifact) : null;
    this.popularity = new PopularityScoring(artifact);
    this.hybrid =
      artifact.algorithm === "HYBRID"
        ? new HybridScoring(
            artifact,
            {
              factors: this.foldIn ? { index: this.factorIndex, foldIn: this.foldIn } : null,
              neighbours: this.neighbours,
              popularity: this.popularity,
              content: this.content,
            },
            this.maxReasons,
          )
        : null;
  }

  /** The user's segment position in the artifact's segments list, -1 when in none (or no segments). */
  segmentOf(userId: string): number {
    return this.popularity.segmentOf(userId);
  }

  /** Whether factor queries go through the HNSW index (large catalogues) once it is built. */
  get usesAnn(): boolean {
    return this.factorIndex.usesAnn;
  }

  /** Whether a scorer of `artifact` queries an HNSW index, without making one. */
  static usesAnnFor(artifact: TModelArtifact, annMinItems = ANN_MIN_ITEMS): boolean {
    return usesAnnFor(artifact, annMinItems);
  }

  get annReady(): boolean {
    return this.factorIndex.ready;
  }

  /** Stops an index build in progress at its next slice (the model was replaced or the process stops). */
  abandonAnn(): void {
    this.factorIndex.abandon();
  }

  /** The built index as bytes (to cache beside the artifact), or null before it is built. */
  exportAnn(): ArrayBuffer | null {
    return this.factorIndex.export();
  }

  /** Adopts a cached index; refused when it does not cover this model's item factors. */
  importAnn(buffer: ArrayBuffer): void {
    this.factorIndex.import(buffer);
  }

  /**
   * Builds the HNSW index over the item factors in slices of at most `sliceMs` of CPU, yielding to
   * the event loop between them so a serving process keeps answering (exactly, by scan) while it
   * builds. No-op for small catalogues.
   */
  buildAnn(sliceMs = 15): Promise<void> {
    return this.factorIndex.build(sliceMs);
  }

  recommend(request: TRecommendRequest): TRecommendAnswer {
    const first = Math.max(0, Math.floor(request.first));
    const hasHistory = request.history.items.length > 0;
    const personal = hasHistory || request.user >= 0;
    const accept = acceptorOf(request.exclude, request.allow);
    if (this.hybrid && personal) {
      return { source: "HYBRID", items: this.hybrid.recommend(request, first, accept) };
    }
    const { content, foldIn, neighbours, popularity, maxReasons } = this;
    if (content && personal) {
      // CONTENT_RIDGE: its features are the factors, so large catalogues search their HNSW index.
      const query = content.userVector(request.user, request.history);
      return {
        source: hasHistory ? "CONTENT_FOLD_IN" : "CONTENT_USER",
        items: this.factorIndex.search(query, first, accept).map(({ item, score }) => ({
          item,
          score,
          reasons: content.reasons(item, query, maxReasons),
        })),
      };
    }
    if (foldIn && personal) {
      const factors = this.artifact.factors!;
      const query = foldIn.userVector(request.user, request.history);
      return {
        source: hasHistory ? "FACTORS_FOLD_IN" : "FACTORS_USER",
        items: this.factorIndex.search(query.vector, first, accept).map(({ item, score }) => ({
          item,
          score,
          reasons: userQueryReasons(factors, item, query, maxReasons),
        })),
      };
    }
    if (neighbours && hasHistory) {
      const items = neighbours.fromHistory(request.history, first, accept, maxReasons);
      if (items.length > 0) return { source: "NEIGHBOURS_HISTORY", items };
    }
    const segment = request.segment ?? -1;
    if (popularity.hasSegment(segment)) {
      const items = popularity.segmentTop(segment, first, accept);
      if (items.length > 0) return { source: "SEGMENT_POPULARITY", items };
    }
    return { source: "POPULARITY", items: popularity.top(first, accept) };
  }

  /** Items most similar to `item`: its neighbour row, or the closest item factors, else popularity. */
  similarItems(item: number, first: number, allow?: (item: number) => boolean): TScoredItem[] {
    const accept = acceptorOf(new Set([item]), allow);
    if (this.neighbours) {
      const items = this.neighbours.similarTo(item, first, accept);
      if (items.length > 0) return items;
    }
    const { factors } = this.artifact;
    if (factors) {
      const query = factors.item.subarray(item * factors.dim, (item + 1) * factors.dim);
      return this.factorIndex.search(query, first, accept).map(({ item: j, score }) => ({
        item: j,
        score,
        reasons: topFactorReasons(query, factors.item, j, factors.dim, this.maxReasons),
      }));
    }
    return this.popularity.top(first, accept);
  }

  /**
   * The content model's user column q = A^-1 (sum_h w_h x_h) / N: from the history when there is one
   * (it holds the training history too, so a trained user's column is reproduced exactly), else the
   * trained column of W.
   */
  contentVector(user: number, history: THistory): Float32Array {
    return this.content!.userVector(user, history);
  }
}
