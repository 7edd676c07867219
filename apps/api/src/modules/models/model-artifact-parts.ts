// Turns a fitted model into the serving artifact of the train/serve contract (CONTRACT-MODELS.md):
// factor models keep their factors, neighbour models a fixed-width top-k table per item.
import type { TCsrMatrix } from "@dam/recsys/csr-matrix";
import type { TEaseModel } from "@dam/recsys/ease";
import type { TModelArtifact } from "@dam/recsys/model-artifact";
import { selectTopK } from "@dam/recsys/top-k";

export type TFittedParts =
  | { kind: "popularity" }
  | { kind: "factors"; dim: number; user: Float32Array; item: Float32Array }
  | { kind: "item-knn"; k: number; model: TNeighbourModel }
  /** Item-item models with long rows (RP3beta, SAR): kept to their k largest weights per item, self excluded. */
  | { kind: "neighbours"; k: number; model: TNeighbourModel }
  | {
      kind: "content";
      dim: number;
      /** W's columns, users x dim. */
      user: Float32Array;
      /** The item features X, items x dim. */
      item: Float32Array;
      solve: Float32Array;
      n: number;
      lambda: number;
    }
  | { kind: "ease"; k: number; model: TEaseModel }
  | {
      kind: "hybrid";
      factors: { dim: number; user: Float32Array; item: Float32Array };
      neighbours: { kind: "item-knn"; k: number; model: TNeighbourModel };
      blend: { factors: number; neighbours: number; popularity: number; content?: number };
      /** The CONTENT_RIDGE part when the blend gives it weight. */
      content?: TContentParts;
    };

type TContentParts = Extract<TFittedParts, { kind: "content" }>;

type TNeighbours = NonNullable<TModelArtifact["neighbours"]>;

/** Any model whose item-item weights are a CSR matrix (item-kNN, RP3beta, SAR's similarity). */
type TNeighbourModel = { neighbours: TCsrMatrix };

/**
 * CSR neighbour lists as |I| x k rows, best first, padded with index -1. An item's own entry (SAR keeps
 * the diagonal) is left out: serving never recommends an item because of itself.
 */
export const knnNeighbours = (model: TNeighbourModel, k: number): TNeighbours => {
  const { neighbours } = model;
  const index = new Int32Array(neighbours.rows * k).fill(-1);
  const weight = new Float32Array(neighbours.rows * k);
  for (let i = 0; i < neighbours.rows; i++) {
    const start = neighbours.indptr[i]!;
    const end = neighbours.indptr[i + 1]!;
    const order = Array.from({ length: end - start }, (_, n) => start + n)
      .filter((e) => neighbours.indices[e] !== i)
      .sort(
        (a, b) =>
          neighbours.values[b]! - neighbours.values[a]! || neighbours.indices[a]! - neighbours.indices[b]!,
      );
    order.slice(0, k).forEach((e, slot) => {
      index[i * k + slot] = neighbours.indices[e]!;
      weight[i * k + slot] = neighbours.values[e]!;
    });
  }
  return { k, index, weight };
};

/**
 * EASE's dense item-item weights B (score_j = sum_i r_ui B_ij) kept to the k largest B_ij of each row
 * i, so serving sums the same kind of contributions as item-kNN. Items outside EASE's modelled set get
 * empty rows (they fall back to popularity when served).
 */
export const easeNeighbours = (model: TEaseModel, itemCount: number, k: number): TNeighbours => {
  const n = model.items.length;
  const width = Math.max(1, Math.min(k, n - 1));
  const index = new Int32Array(itemCount * width).fill(-1);
  const weight = new Float32Array(itemCount * width);
  const row = new Float32Array(n);
  for (let local = 0; local < n; local++) {
    row.set(model.weights.subarray(local * n, local * n + n));
    row[local] = Number.NEGATIVE_INFINITY;
    const global = model.items[local]!;
    selectTopK(row, width).forEach((j, slot) => {
      index[global * width + slot] = model.items[j]!;
      weight[global * width + slot] = row[j]!;
    });
  }
  return { k: width, index, weight };
};

export const buildModelArtifact = (input: {
  algorithm: string;
  itemIds: string[];
  userIds: string[];
  popularity: Float32Array;
  parts: TFittedParts;
  params: Record<string, unknown>;
  /** Where a content model's features came from, and their blocks (for reasons). */
  contentSource?: {
    featureSetId: string;
    source: string;
    blocks: { name: string; offset: number; width: number }[];
  };
}): TModelArtifact => {
  const base = {
    algorithm: input.algorithm,
    itemIds: input.itemIds,
    userIds: input.userIds,
    popularity: input.popularity,
    params: input.params,
  };
  const { parts } = input;
  switch (parts.kind) {
    case "popularity":
      return { ...base, blend: { popularity: 1 } };
    case "factors":
      return {
        ...base,
        factors: { dim: parts.dim, user: parts.user, item: parts.item },
        blend: { factors: 1 },
      };
    case "item-knn":
    case "neighbours":
      return { ...base, neighbours: knnNeighbours(parts.model, parts.k), blend: { neighbours: 1 } };
    case "ease":
      return {
        ...base,
        neighbours: easeNeighbours(parts.model, input.itemIds.length, parts.k),
        blend: { neighbours: 1 },
      };
    case "content": {
      if (!input.contentSource) throw new Error("a content model needs the source of its features");
      return {
        ...base,
        factors: { dim: parts.dim, user: parts.user, item: parts.item },
        content: { ...input.contentSource, n: parts.n, lambda: parts.lambda, solve: parts.solve },
        blend: { factors: 1 },
      };
    }
    case "hybrid": {
      const { content } = parts;
      if (content && !input.contentSource) throw new Error("a content part needs the source of its features");
      return {
        ...base,
        factors: parts.factors,
        neighbours: knnNeighbours(parts.neighbours.model, parts.neighbours.k),
        blend: parts.blend,
        // The content part's own X and W (the factors slot holds ALS's).
        ...(content
          ? {
              content: {
                ...input.contentSource!,
                n: content.n,
                lambda: content.lambda,
                solve: content.solve,
                dim: content.dim,
                item: content.item,
                user: content.user,
              },
            }
          : {}),
      };
    }
    default: {
      const unknown: never = parts;
      throw new Error(`unknown model parts ${JSON.stringify(unknown)}`);
    }
  }
};
