import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZIngestPayload = z.object({ versionId: z.string().uuid() });

export const ingestFileJob = defineJob({
  queue: "ingest",
  name: "ingest.load-file",
  payload: ZIngestPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `ingest-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
