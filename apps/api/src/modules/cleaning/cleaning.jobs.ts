import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZCleaningRunPayload = z.object({ versionId: z.string().uuid() });

export const cleaningRunJob = defineJob({
  queue: "quality",
  name: "cleaning.run",
  payload: ZCleaningRunPayload,
  attempts: 3,
  backoffMs: 2_000,
  // One job per cleaned version: the version is created before the job, so its id names the work.
  jobId: ({ versionId }) => `cleaning-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
