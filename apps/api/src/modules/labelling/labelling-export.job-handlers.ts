import { handleJob } from "../jobs/job-definition.ts";
import { labelExportJob } from "./labelling-export.jobs.ts";
import { discardLabelExport, executeLabelExport } from "./labelling-export-run.service.ts";

export const labelExportHandler = handleJob(labelExportJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const { rows } = await executeLabelExport(deps, versionId, ctx);
    await ctx.versionReady(versionId);
    return { result: { goldLabels: rows }, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardLabelExport(deps, versionId),
});
