// Scoring by the content model (CONTENT_RIDGE, content-ridge.ts, alone or as a HYBRID's part): the
// user's column of W re-solved from the history, q = A^-1 sum_h w_h x_h / N (exact, the closed form
// is linear in the targets), items scored x_i . q, and the feature blocks behind each score.
import type { TArtifactContent, TModelArtifact } from "../model-artifact.ts";
import { scanTop } from "./factor-index.ts";
import { featureBlockReasons } from "./score-reasons.ts";
import type { TAccept, TFoundItem, THistory, TReason } from "./scorer-types.ts";

/**
 * Whether the artifact's factors slot holds the content model's features (CONTENT_RIDGE) rather than
 * a factor model's (ALS, BPR; a HYBRID keeps its content part's X and W in the content section).
 */
export const factorsAreContentFeatures = (artifact: TModelArtifact): boolean => {
  const { content } = artifact;
  return !!content && !(content.item && content.user && content.dim !== undefined);
};

export class ContentScoring {
  private readonly content: TArtifactContent;
  private readonly itemCount: number;
  /** The content model's X (items x dim) and W's columns (users x dim). */
  private readonly dim: number;
  private readonly features: Float32Array;
  private readonly columns: Float32Array;

  /** `artifact.content` must be set. */
  constructor(artifact: TModelArtifact) {
    const content = artifact.content!;
    this.content = content;
    this.itemCount = artifact.itemIds.length;
    const arrays = factorsAreContentFeatures(artifact)
      ? artifact.factors!
      : { dim: content.dim!, user: content.user!, item: content.item! };
    this.dim = arrays.dim;
    this.features = arrays.item;
    this.columns = arrays.user;
  }

  /**
   * The user column q = A^-1 (sum_h w_h x_h) / N: from the history when there is one (it holds the
   * training history too, so a trained user's column is reproduced exactly), else the trained column.
   */
  userVector(user: number, history: THistory): Float32Array {
    const { dim, columns, features } = this;
    const { solve, n } = this.content;
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

  /** Top items by x_i . query over the content model's features (a scan). */
  search(query: Float32Array, first: number, accept: TAccept): TFoundItem[] {
    return scanTop(this.features, this.dim, this.itemCount, query, first, accept);
  }

  /** The feature blocks with the largest positive share of x_item . query. */
  reasons(item: number, query: Float32Array, keep: number): TReason[] {
    return featureBlockReasons(this.content.blocks, this.features, this.dim, item, query, keep);
  }
}
