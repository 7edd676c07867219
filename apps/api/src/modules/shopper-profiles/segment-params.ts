import { z } from "zod";

/**
 * Which profile features a segmentation clusters on, each block with a weight (0 leaves it out).
 * Shares (categories, bands) are used as they are, in [0, 1]; counts and RFM are log1p-scaled and
 * standardised; the profile vector is L2-normalised. Blocks of many columns are divided by sqrt(width)
 * so that a weight means the same whatever the block's width.
 */
export const ZSegmentFeatureWeights = z.object({
  categories: z.number().min(0).max(100).default(1),
  bands: z.number().min(0).max(100).default(0.5),
  eventTypes: z.number().min(0).max(100).default(0),
  rfm: z.number().min(0).max(100).default(0),
  vector: z.number().min(0).max(100).default(0),
});
export type TSegmentFeatureWeights = z.infer<typeof ZSegmentFeatureWeights>;

export const ZSegmentParams = z
  .object({
    algorithm: z.enum(["KMEANS", "DBSCAN"]).default("KMEANS"),
    /** k-means: a fixed k, or null to choose k by silhouette over kMin..kMax. */
    k: z.number().int().min(2).max(100).nullable().default(null),
    kMin: z.number().int().min(2).max(100).default(2),
    kMax: z.number().int().min(2).max(100).default(10),
    restarts: z.number().int().min(1).max(50).default(4),
    seed: z.number().int().min(0).max(0xffffffff).default(0),
    /** Above this many users k-means runs mini-batch (Sculley 2010) instead of full Lloyd passes. */
    miniBatchAbove: z.number().int().min(100).default(20_000),
    /** DBSCAN: minimum neighbourhood size, and eps (null: the knee of the k-distance curve). */
    minPts: z.number().int().min(2).max(1000).default(5),
    eps: z.number().positive().nullable().default(null),
    features: ZSegmentFeatureWeights.default(ZSegmentFeatureWeights.parse({})),
  })
  .refine((p) => p.kMin <= p.kMax, { message: "kMin must not exceed kMax", path: ["kMin"] });
export type TSegmentParams = z.infer<typeof ZSegmentParams>;
