import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZProfileSetPayload = z.object({ profileSetId: z.string().uuid() });
export const ZSegmentPayload = z.object({ segmentSetId: z.string().uuid() });
export const ZAudiencePayload = z.object({ versionId: z.string().uuid() });

export const profileUsersJob = defineJob({
  queue: "features",
  name: "profiles.build",
  payload: ZProfileSetPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ profileSetId }) => `profile-${profileSetId}`,
  inputIds: ({ profileSetId }) => [profileSetId],
});

export const segmentUsersJob = defineJob({
  queue: "features",
  name: "segments.build",
  payload: ZSegmentPayload,
  attempts: 2,
  backoffMs: 5_000,
  jobId: ({ segmentSetId }) => `segment-${segmentSetId}`,
  inputIds: ({ segmentSetId }) => [segmentSetId],
});

export const exportAudienceJob = defineJob({
  queue: "features",
  name: "segments.export",
  payload: ZAudiencePayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `audience-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});
