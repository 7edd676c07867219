import type { TDeps } from "../../deps.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { profileVersionJob } from "../profiling/profiling.jobs.ts";
import { enqueueImportQualityRun } from "../quality/quality.service.ts";

/**
 * What happens when a dataset version becomes READY (after an import or a cleaning run): each
 * downstream check of the version is queued here as its own idempotent job with a deterministic id,
 * so a re-run of the job that made the version queues nothing twice.
 */
export const onVersionReady = async (deps: TDeps, versionId: string): Promise<void> => {
  // Areas add their enqueue calls here (profiling, quality).
  await enqueueJob(deps, profileVersionJob, { versionId });
  await enqueueImportQualityRun(deps, versionId);
};
