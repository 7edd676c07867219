import { handleJob } from "../jobs/job-definition.ts";
import { cleaningRunJob } from "./cleaning.jobs.ts";
import { discardCleaningRun, executeCleaningRun, recordCleaningLineage } from "./cleaning-run.service.ts";

export const cleaningRunHandler = handleJob(cleaningRunJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const run = await executeCleaningRun(deps, versionId, ctx);
    await recordCleaningLineage(deps, run, ctx.jobRecordId);
    await ctx.versionReady(versionId);
    const first = run.report[0];
    const last = run.report[run.report.length - 1];
    return {
      result: { rowsIn: first?.rowsIn ?? 0, rowsOut: last?.rowsOut ?? 0, steps: run.report.length },
      outputIds: [versionId],
    };
  },
  onGiveUp: async ({ versionId }, deps) => discardCleaningRun(deps, versionId),
});
