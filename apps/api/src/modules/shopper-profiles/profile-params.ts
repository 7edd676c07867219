import {
  DEFAULT_EVENT_WEIGHT,
  DEFAULT_EVENT_WEIGHTS,
  MAX_EVENT_WEIGHT,
  ZEventWeights,
} from "@dam/vocabulary/event-weights";
import { z } from "zod";

// Defaults: the platform's one event-weight table (@dam/vocabulary/event-weights) and a 30-day
// half-life, the starting points a steward can change per profile set (stored in params).

export const ZProfileParams = z.object({
  catalogVersionId: z.string().uuid().nullable().default(null),
  vectorSource: z
    .object({ type: z.enum(["EMBEDDING_SET", "FEATURE_SET"]), id: z.string().uuid() })
    .nullable()
    .default(null),
  eventWeights: ZEventWeights.default(DEFAULT_EVENT_WEIGHTS),
  /** Weight of event types not named in eventWeights. */
  defaultWeight: z.number().min(0).max(MAX_EVENT_WEIGHT).default(DEFAULT_EVENT_WEIGHT),
  halfLifeDays: z.number().positive().max(3650).default(30),
  /** Categories beyond the most frequent this many are pooled into "(other)". */
  maxCategories: z.number().int().min(1).max(500).default(50),
});
export type TProfileParams = z.infer<typeof ZProfileParams>;
