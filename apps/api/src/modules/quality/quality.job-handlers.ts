import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { qualityRunJob, qualityScheduleJob } from "./quality.jobs.ts";
import { findReadyVersion } from "./quality.repository.ts";
import { enqueueImportQualityRun } from "./quality.service.ts";
import { indexDeclaredKeys } from "./quality-keys.service.ts";
import { discardUnfinishedRuns, executeQualityRun } from "./quality-run.service.ts";
import { armSchedule, isScheduleWanted } from "./quality-schedule.service.ts";

export const qualityRunHandler = handleJob(qualityRunJob, {
  handle: async (payload, ctx, deps) => {
    const result = await executeQualityRun(deps, payload, ctx);
    return { result, outputIds: [result.runId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardUnfinishedRuns(deps, versionId),
});

/**
 * One tick of a dataset's quality schedule: re-arms the scheduler for the next tick, then queues a
 * run on the dataset's latest READY version (resolved now, not when the schedule was made).
 */
export const qualityScheduleHandler = handleJob(qualityScheduleJob, {
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

/**
 * READY hook, first of all: key columns declared by the dataset's unique rules are indexed now, in the
 * job that made the version, so its quality runs find the index ready.
 */
export const declaredKeysReadyHook: TReadyHook = { name: "quality.keys", run: indexDeclaredKeys };

/** READY hook: a READY version is checked against its dataset's rules. */
export const qualityRunReadyHook: TReadyHook = { name: "quality.run", run: enqueueImportQualityRun };
