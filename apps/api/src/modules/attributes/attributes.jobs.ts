import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZAttributePayload = z.object({ versionId: z.string().uuid() });

export const extractAttributesJob = defineJob({
  queue: "features",
  name: "features.attributes",
  payload: ZAttributePayload,
  attempts: 3,
  backoffMs: 2_000,
  // The derived version is created before the job, so its id names the work.
  jobId: ({ versionId }) => `attributes-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
