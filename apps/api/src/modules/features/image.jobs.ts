import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

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
});
