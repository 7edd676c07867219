import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { columnStatsJob } from "./column-stats.jobs.ts";
import { computeVersionProfile } from "./profile-compute.service.ts";

// No onGiveUp: the profile is written in one update at the end, so a failed run leaves nothing to undo.
export const columnStatsHandler = handleJob(columnStatsJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const profile = await computeVersionProfile(deps, versionId, ctx);
    return {
      result: { rowCount: profile.rowCount, columns: profile.columns.length, seconds: profile.seconds },
      outputIds: [versionId],
    };
  },
});

/** READY hook: every READY version gets its column statistics computed. */
export const columnStatsReadyHook: TReadyHook = {
  name: "profile.version",
  run: async (deps, versionId) => {
    await enqueueJob(deps, columnStatsJob, { versionId });
  },
};
