import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { findReadyVersion } from "./quality.repository.ts";
import { discardUnfinishedRuns, executeQualityRun } from "./quality-run.service.ts";
import { armSchedule, isScheduleWanted, QUALITY_SCHEDULE_JOB } from "./quality-schedule.service.ts";

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
  handle: async (payload, ctx, deps) => {
    const result = await executeQualityRun(deps, payload, ctx);
    return { result, outputIds: [result.runId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardUnfinishedRuns(deps, versionId),
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
  handle: async ({ datasetId, cron }, _ctx, deps) => {
    if (!(await isScheduleWanted(deps, datasetId, cron))) return { result: { skipped: "schedule removed" } };
    await armSchedule(deps, datasetId, cron);
    const version = await findReadyVersion(deps, datasetId);
    if (!version) return { result: { skipped: "no READY version" } };
    const job = await enqueueJob(
      deps,
      qualityRunJob,
      { versionId: version.id, trigger: "schedule" as const },
      { rerun: true },
    );
    return { result: { versionId: version.id, qualityJobId: job.id }, outputIds: [job.id] };
  },
});
