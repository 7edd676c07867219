import { handleJob } from "../jobs/job-definition.ts";
import { failWaitingProfileSets, startWaitingProfileSets } from "../shopper-profiles/waiting-profile-sets.ts";
import { discardEmbeddingRun, executeEmbeddingRun } from "./embedding-run.service.ts";
import { embedCatalogJob } from "./features.jobs.ts";

export const embedCatalogHandler = handleJob(embedCatalogJob, {
  handle: async ({ embeddingSetId }, ctx, deps) => {
    const result = await executeEmbeddingRun(deps, embeddingSetId, ctx);
    // A feature pipeline queued profiles on this set before it existed; they can start now.
    await startWaitingProfileSets(deps, embeddingSetId);
    return { result, outputIds: [embeddingSetId] };
  },
  onGiveUp: async ({ embeddingSetId }, deps) => {
    await discardEmbeddingRun(deps, embeddingSetId);
    await failWaitingProfileSets(deps, embeddingSetId);
  },
});
