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

export const ZEraseSubjectPayload = z.object({ erasureRequestId: z.string().uuid() });

/** Erases one person everywhere (erasure-run.service.ts); one job per request. */
export const eraseSubjectJob = defineJob({
  queue: "maintenance",
  name: "privacy.erase",
  payload: ZEraseSubjectPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ erasureRequestId }) => `privacy-erase-${erasureRequestId}`,
  inputIds: ({ erasureRequestId }) => [erasureRequestId],
});

export const RETENTION_JOB = "privacy.retention";
/** Nightly, 03:15 UTC. */
export const RETENTION_CRON = "15 3 * * *";
export const RETENTION_SCHEDULER_ID = "privacy-retention-nightly";

export const ZRetentionPayload = z.object({ trigger: z.enum(["schedule", "manual"]) });

/** Enforces every dataset's retention policy (retention.service.ts). */
export const retentionJob = defineJob({
  queue: "maintenance",
  name: RETENTION_JOB,
  payload: ZRetentionPayload,
  attempts: 2,
  backoffMs: 10_000,
  jobId: ({ trigger }) => `privacy-retention-${trigger}`,
  inputIds: () => [],
});
