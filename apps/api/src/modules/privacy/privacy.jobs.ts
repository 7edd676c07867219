import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZClassifyPiiPayload = z.object({ versionId: z.string().uuid() });

// No onGiveUp: the tags are replaced in one transaction at the end, so a failed run leaves nothing to undo.
export const classifyPiiJob = defineJob({
  queue: "quality",
  name: "privacy.classify",
  payload: ZClassifyPiiPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `pii-classify-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
