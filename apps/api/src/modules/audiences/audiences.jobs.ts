import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZRankedAudiencePayload = z.object({ versionId: z.string().uuid() });

export const exportRankedAudienceJob = defineJob({
  queue: "features",
  name: "audiences.export",
  payload: ZRankedAudiencePayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `ranked-audience-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
