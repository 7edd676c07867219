import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { discardImageEmbeddingRun, executeImageEmbeddingRun } from "./image-embedding-run.service.ts";
import { discardImageImport, executeImageImport } from "./image-import-run.service.ts";

export const ZImportImagesPayload = z.object({ imageSetId: z.string().uuid() });

export const importImagesJob = defineJob({
  queue: "ingest",
  name: "features.importImages",
  payload: ZImportImagesPayload,
  attempts: 3,
  backoffMs: 5_000,
  // The set row is created before the job, so its id names the work; a re-enqueue collapses into it.
  jobId: ({ imageSetId }) => `images-${imageSetId}`,
  inputIds: ({ imageSetId }) => [imageSetId],
  handle: async ({ imageSetId }, ctx, deps) => {
    const result = await executeImageImport(deps, imageSetId, ctx);
    return { result, outputIds: [imageSetId] };
  },
  onGiveUp: ({ imageSetId }, deps) => discardImageImport(deps, imageSetId),
});

export const ZEmbedImagesPayload = z.object({ embeddingSetId: z.string().uuid() });

export const embedImagesJob = defineJob({
  queue: "features",
  name: "features.embedImages",
  payload: ZEmbedImagesPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ embeddingSetId }) => `embed-images-${embeddingSetId}`,
  inputIds: ({ embeddingSetId }) => [embeddingSetId],
  handle: async ({ embeddingSetId }, ctx, deps) => {
    const result = await executeImageEmbeddingRun(deps, embeddingSetId, ctx);
    return { result, outputIds: [embeddingSetId] };
  },
  onGiveUp: ({ embeddingSetId }, deps) => discardImageEmbeddingRun(deps, embeddingSetId),
});
