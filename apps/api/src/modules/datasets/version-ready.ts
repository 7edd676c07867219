import type { TDeps } from "../../deps.ts";
import { enqueueCatalogSearchIndex } from "../features/search-index-trigger.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { classifyPiiJob } from "../privacy/privacy.jobs.ts";
import { profileVersionJob } from "../profiling/profiling.jobs.ts";
import { enqueueImportQualityRun } from "../quality/quality.service.ts";
import { indexDeclaredKeys } from "../quality/quality-keys.service.ts";

/**
 * What happens when a dataset version becomes READY (after an import or a cleaning run): each
 * downstream check of the version is queued here as its own idempotent job with a deterministic id,
 * so a re-run of the job that made the version queues nothing twice.
 */
export const onVersionReady = async (deps: TDeps, versionId: string): Promise<void> => {
  // Key columns declared by the dataset's unique rules are indexed now, in the job that made the
  // version, so its quality runs find the index ready.
  await indexDeclaredKeys(deps, versionId);
  // Areas add their enqueue calls here (profiling, quality, the search index of a catalogue).
  await enqueueJob(deps, profileVersionJob, { versionId });
  await enqueueJob(deps, classifyPiiJob, { versionId });
  await enqueueImportQualityRun(deps, versionId);
  await enqueueCatalogSearchIndex(deps, versionId);
};
