import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZProfilePayload = z.object({ versionId: z.string().uuid() });

// No onGiveUp: the profile is written in one update at the end, so a failed run leaves nothing to undo.
export const profileVersionJob = defineJob({
  queue: "quality",
  name: "profile.version",
  payload: ZProfilePayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `profile-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
