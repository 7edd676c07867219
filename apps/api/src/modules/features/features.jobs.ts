import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

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
});
