import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZFusionPayload = z.object({ featureSetId: z.string().uuid() });

export const fuseFeaturesJob = defineJob({
  queue: "features",
  name: "features.fuse",
  payload: ZFusionPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ featureSetId }) => `fuse-${featureSetId}`,
  inputIds: ({ featureSetId }) => [featureSetId],
});
