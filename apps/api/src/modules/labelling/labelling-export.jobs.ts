import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZLabelExportPayload = z.object({ versionId: z.string().uuid() });

export const labelExportJob = defineJob({
  queue: "quality",
  name: "labels.export",
  payload: ZLabelExportPayload,
  attempts: 3,
  backoffMs: 2_000,
  // The LABELS version is created before the job, so its id names the work.
  jobId: ({ versionId }) => `labels-export-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
