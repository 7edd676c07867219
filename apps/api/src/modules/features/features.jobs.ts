import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
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
    return { result, outputIds: [embeddingSetId] };
  },
  onGiveUp: async ({ embeddingSetId }, deps) => discardEmbeddingRun(deps, embeddingSetId),
});
