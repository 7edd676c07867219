import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";
import { QUALITY_SCHEDULE_JOB } from "./quality-schedule.service.ts";

export const ZQualityRunPayload = z.object({
  versionId: z.string().uuid(),
  trigger: z.enum(["import", "manual", "schedule"]).default("import"),
});

/** Checks one version against its dataset's rules; one job id per version (re-run with `rerun`). */
export const qualityRunJob = defineJob({
  queue: "quality",
  name: "quality.run",
  payload: ZQualityRunPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `quality-run-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
});

export const ZQualitySchedulePayload = z.object({ datasetId: z.string().uuid(), cron: z.string() });

/**
 * One tick of a dataset's quality schedule: re-arms the scheduler for the next tick, then queues a
 * run on the dataset's latest READY version (resolved now, not when the schedule was made).
 */
export const qualityScheduleJob = defineJob({
  queue: "quality",
  name: QUALITY_SCHEDULE_JOB,
  payload: ZQualitySchedulePayload,
  attempts: 1,
  backoffMs: 1_000,
  jobId: ({ datasetId, cron }) => `quality-schedule-${datasetId}-${cron}`,
  inputIds: ({ datasetId }) => [datasetId],
});
