import { handleJob } from "../jobs/job-definition.ts";
import { ingestFileJob } from "./datasets.jobs.ts";
import { discardVersion, loadVersionFromFile, recordImportLineage } from "./ingest.service.ts";

export const ingestFileHandler = handleJob(ingestFileJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const result = await loadVersionFromFile(deps, versionId, ctx);
    await recordImportLineage(deps, versionId, ctx.jobRecordId);
    await ctx.versionReady(versionId);
    return { result, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardVersion(deps, versionId),
});
