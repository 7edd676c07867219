import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { failWaitingProfileSets, startWaitingProfileSets } from "../profiles/profiles.jobs.ts";
import { discardEmbeddingRun, executeEmbeddingRun } from "./embedding-run.service.ts";

export const ZEmbedPayload = z.object({ embeddingSetId: z.string().uuid() });

export const embedCatalogJob = defineJob({
  queue: "features",
  name: "features.embed",
  payload: ZEmbedPayload,
  attempts: 3,
  backoffMs: 5_000,
  // The set row is created before the job, so its id names the work; a re-enqueue collapses into it.
  jobId: ({ embeddingSetId }) => `embed-${embeddingSetId}`,
  inputIds: ({ embeddingSetId }) => [embeddingSetId],
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
