import { z } from "zod";

/**
 * How a fused item vector is made: the weight of each block (0 leaves it out) and the encodings.
 * Every block is normalised first (text and attributes to unit length, one-hot rows have length 1,
 * numeric z-scores divided by sqrt(width)), so a block's weight is its share of the vector's length.
 */
export const ZFusionWeights = z.object({
  text: z.number().min(0).max(100).default(1),
  /** Used only when the recipe names an image embedding set. */
  image: z.number().min(0).max(100).default(1),
  category: z.number().min(0).max(100).default(0.5),
  attributes: z.number().min(0).max(100).default(0.5),
  numeric: z.number().min(0).max(100).default(0.3),
});

export const ZFusionRecipe = z.object({
  catalogVersionId: z.string().uuid(),
  embeddingSetId: z.string().uuid().nullable().default(null),
  /** A READY image embedding set of the catalogue's pictures: the image block; null: no image block. */
  imageEmbeddingSetId: z.string().uuid().nullable().default(null),
  /** EVENTS version whose event counts give each item's popularity; null: no popularity feature. */
  eventsVersionId: z.string().uuid().nullable().default(null),
  weights: ZFusionWeights.default(ZFusionWeights.parse({})),
  /** Categories are one-hot up to this many distinct values, hashed beyond. */
  maxOneHot: z.number().int().min(1).max(1000).default(64),
  /** Buckets of the signed hashing trick (Weinberger et al. 2009) for attributes and many categories. */
  hashDimension: z.number().int().min(8).max(4096).default(64),
});
export type TFusionRecipe = z.infer<typeof ZFusionRecipe>;
