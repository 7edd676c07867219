import { z } from "zod";

// Defaults: a purchase says more about taste than a view; the ladder 1/2/3/4/5 over the funnel and a
// 30-day half-life are the starting points steward can change per profile set (stored in params).
export const DEFAULT_EVENT_WEIGHTS: Record<string, number> = {
  view: 1,
  click: 2,
  favourite: 3,
  cart: 4,
  purchase: 5,
};

export const ZProfileParams = z.object({
  catalogVersionId: z.string().uuid().nullable().default(null),
  vectorSource: z
    .object({ type: z.enum(["EMBEDDING_SET", "FEATURE_SET"]), id: z.string().uuid() })
    .nullable()
    .default(null),
  eventWeights: z.record(z.string(), z.number().min(0).max(1000)).default(DEFAULT_EVENT_WEIGHTS),
  /** Weight of event types not named in eventWeights. */
  defaultWeight: z.number().min(0).max(1000).default(1),
  halfLifeDays: z.number().positive().max(3650).default(30),
  /** Categories beyond the most frequent this many are pooled into "(other)". */
  maxCategories: z.number().int().min(1).max(500).default(50),
});
export type TProfileParams = z.infer<typeof ZProfileParams>;
