import { handleJob } from "../jobs/job-definition.ts";
import { embedImagesJob, importImagesJob } from "./image.jobs.ts";
import { discardImageEmbeddingRun, executeImageEmbeddingRun } from "./image-embedding-run.service.ts";
import { discardImageImport, executeImageImport } from "./image-import-run.service.ts";

export const importImagesHandler = handleJob(importImagesJob, {
  handle: async ({ imageSetId }, ctx, deps) => {
    const result = await executeImageImport(deps, imageSetId, ctx);
    return { result, outputIds: [imageSetId] };
  },
  onGiveUp: ({ imageSetId }, deps) => discardImageImport(deps, imageSetId),
});

export const embedImagesHandler = handleJob(embedImagesJob, {
  handle: async ({ embeddingSetId }, ctx, deps) => {
    const result = await executeImageEmbeddingRun(deps, embeddingSetId, ctx);
    return { result, outputIds: [embeddingSetId] };
  },
  onGiveUp: ({ embeddingSetId }, deps) => discardImageEmbeddingRun(deps, embeddingSetId),
});
