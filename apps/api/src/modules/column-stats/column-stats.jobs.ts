import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZColumnStatsPayload = z.object({ versionId: z.string().uuid() });

// No onGiveUp: the profile is written in one update at the end, so a failed run leaves nothing to undo.
export const columnStatsJob = defineJob({
  queue: "quality",
  name: "profile.version",
  payload: ZColumnStatsPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `profile-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
