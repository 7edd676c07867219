import { handleJob } from "../jobs/job-definition.ts";
import { discardAttributeRun, executeAttributeRun } from "./attribute-run.service.ts";
import { extractAttributesJob } from "./attributes.jobs.ts";

export const extractAttributesHandler = handleJob(extractAttributesJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const { report } = await executeAttributeRun(deps, versionId, ctx);
    await ctx.versionReady(versionId);
    return { result: report, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardAttributeRun(deps, versionId),
});
