import { handleJob } from "../jobs/job-definition.ts";
import { discardRankedAudienceExport, executeRankedAudienceExport } from "./audience-export.service.ts";
import { exportRankedAudienceJob } from "./audiences.jobs.ts";

export const exportRankedAudienceHandler = handleJob(exportRankedAudienceJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const { users } = await executeRankedAudienceExport(deps, versionId, ctx);
    await ctx.versionReady(versionId);
    return { result: { users }, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardRankedAudienceExport(deps, versionId),
});
