import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZExtendFeaturesPayload = z.object({
  featureSetId: z.string().uuid(),
  catalogVersionId: z.string().uuid(),
});
export type TExtendFeaturesPayload = z.infer<typeof ZExtendFeaturesPayload>;

/**
 * Appends the features of the items a newer catalogue version adds to a READY feature set (their text
 * embedded by the set's own embedder, fused with the set's encoding) and announces the set, so served
 * content models score the new items without retraining. Safe to run twice: items already in the set
 * are skipped.
 */
export const extendFeaturesJob = defineJob<TExtendFeaturesPayload>({
  queue: "features",
  name: "features.extend",
  payload: ZExtendFeaturesPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ featureSetId, catalogVersionId }) => `extend-${featureSetId}-${catalogVersionId}`,
  inputIds: ({ featureSetId, catalogVersionId }) => [featureSetId, catalogVersionId],
});
