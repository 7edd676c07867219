import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { onVersionReady } from "../datasets/version-ready.ts";
import { discardCleaningRun, executeCleaningRun, recordCleaningLineage } from "./cleaning-run.service.ts";

export const ZCleaningRunPayload = z.object({ versionId: z.string().uuid() });

export const cleaningRunJob = defineJob({
  queue: "quality",
  name: "cleaning.run",
  payload: ZCleaningRunPayload,
  attempts: 3,
  backoffMs: 2_000,
  // One job per cleaned version: the version is created before the job, so its id names the work.
  jobId: ({ versionId }) => `cleaning-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const run = await executeCleaningRun(deps, versionId, ctx);
    await recordCleaningLineage(deps, run, ctx.jobRecordId);
    await onVersionReady(deps, versionId);
    const first = run.report[0];
    const last = run.report[run.report.length - 1];
    return {
      result: { rowsIn: first?.rowsIn ?? 0, rowsOut: last?.rowsOut ?? 0, steps: run.report.length },
      outputIds: [versionId],
    };
  },
  onGiveUp: async ({ versionId }, deps) => discardCleaningRun(deps, versionId),
});
