import { readFile } from "node:fs/promises";
import { describeError } from "@dam/embedder/embedder-errors";
import { createImageEmbedder, type TImageEmbedder } from "@dam/embedder/image-embedder";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { embeddingDir, embeddingManifest, finishArtifact, removeArtifact } from "./embedding-artifact.ts";
import { runEmbeddingLoop, type TEmbedBatch } from "./embedding-loop.ts";
import {
  findEmbeddingSetById,
  findImageSetById,
  markEmbeddingSetReady,
  markUnfinishedEmbeddingSetFailed,
} from "./feature-sets.repository.ts";
import { decodeRgb, type TRgbImage } from "./image-decode.ts";
import { imageSetDir, originalPath, readImageSet } from "./image-store.ts";

// Pictures per model call: small enough that a cancel waits well under a second
// for a ResNet-sized model on 2 cores, large enough that the ONNX run dominates the per-call overhead.
export const IMAGE_EMBED_BATCH = 32;

export type TImageEmbeddingRunResult = { count: number; dimension: number; resumedAt: number };

/**
 * The pictures from index `from` on, decoded to RGB in batches of IMAGE_EMBED_BATCH (sharp decodes on
 * its own threads, all pictures of a batch at once); each batch's lastLine is its last picture's index.
 */
export async function* pictureBatches(
  images: { itemId: string; file: string }[],
  from: number,
  maxPixels: number,
  size: TImageEmbedder["inputSize"],
): AsyncGenerator<TEmbedBatch<TRgbImage>> {
  for (let start = from; start < images.length; start += IMAGE_EMBED_BATCH) {
    const batch = images.slice(start, start + IMAGE_EMBED_BATCH);
    yield {
      ids: batch.map((image) => image.itemId),
      inputs: await Promise.all(
        batch.map(async (image) => decodeRgb(await readFile(image.file), maxPixels, size)),
      ),
      lastLine: start + batch.length - 1,
    };
  }
}

/**
 * Embeds the pictures of an image set with the set's model, in the order of the image set's items.
 * Shares the text job's loop, artifact and checkpoint rule (embedding-loop.ts): the checkpoint's
 * `lastLine` is the index of the last picture written, so a resumed run continues after it.
 * Without the model's files it fails for good with the path it looked at: there is no fallback.
 */
export const executeImageEmbeddingRun = async (
  deps: TDeps,
  embeddingSetId: string,
  ctx: TJobContext,
): Promise<TImageEmbeddingRunResult> => {
  const set = await findEmbeddingSetById(deps, embeddingSetId);
  if (!set) throw new UnrecoverableError(`Embedding set ${embeddingSetId} does not exist`);
  if (set.status === "READY") return { count: set.count, dimension: set.dimension, resumedAt: set.count };
  if (set.modality !== "image" || !set.imageSetId) {
    throw new UnrecoverableError(`Embedding set ${set.id} is not an image embedding set`);
  }
  const imageSet = await findImageSetById(deps, set.imageSetId);
  if (imageSet?.status !== "READY")
    throw new UnrecoverableError(`Image set ${set.imageSetId} is missing or not READY`);
  const pictureDir = imageSet.location ?? imageSetDir(deps.env.ARTIFACTS_DIR, imageSet.id);
  const pictures = await readImageSet(pictureDir);
  if (!pictures) throw new UnrecoverableError(`Image set ${imageSet.id} has lost its pictures`);

  let embedder: TImageEmbedder;
  try {
    embedder = await createImageEmbedder({
      modelsDir: deps.env.MODELS_DIR,
      modelId: set.modelId,
      batchSize: IMAGE_EMBED_BATCH,
    });
  } catch (error) {
    throw new UnrecoverableError(`no image embeddings without the model: ${describeError(error)}`);
  }
  const dir = embeddingDir(deps.env.ARTIFACTS_DIR, set.id);
  const total = pictures.images.length;
  try {
    const { checkpoint, resumedAt } = await runEmbeddingLoop({
      dir,
      embedder,
      // lastLine is the index of the last picture written (MIN_SAFE_INTEGER when none was).
      batches: (resume) =>
        pictureBatches(
          pictures.images.map((image) => ({ itemId: image.itemId, file: originalPath(pictureDir, image) })),
          resume.rows === 0 ? 0 : resume.lastLine + 1,
          deps.env.DAM_MAX_IMAGE_PIXELS,
          embedder.inputSize,
        ),
      onProgress: async (written) => {
        await ctx.progress(99 * (written / Math.max(1, total)), `Embedded ${written} of ${total} pictures`);
        await ctx.checkpoint();
      },
    });
    await finishArtifact(dir, embeddingManifest(set, embedder, checkpoint.rows, null), null);
    await recordLineage(deps, {
      from: [{ type: "IMAGE_SET", refId: imageSet.id, label: `images ${imageSet.id.slice(0, 8)}` }],
      to: {
        type: "EMBEDDING_SET",
        refId: set.id,
        label: `image embeddings ${embedder.modelId}`,
        metadata: {
          modality: "image",
          modelId: embedder.modelId,
          modelVersion: embedder.modelVersion,
          backend: embedder.backend,
          dimension: embedder.dimension,
        },
      },
      jobId: ctx.jobRecordId,
      relation: "embedded_by",
    });
    await markEmbeddingSetReady(deps, set.id, {
      modelVersion: embedder.modelVersion,
      backend: embedder.backend,
      dimension: embedder.dimension,
      count: checkpoint.rows,
      location: dir,
    });
    await ctx.progress(100, `Embedded ${checkpoint.rows} pictures`);
    return { count: checkpoint.rows, dimension: embedder.dimension, resumedAt };
  } finally {
    await embedder.dispose();
  }
};

/** Undo of a run that gave up: no half-written artifact stays behind, the set says FAILED. */
export const discardImageEmbeddingRun = async (deps: TDeps, embeddingSetId: string): Promise<void> => {
  await removeArtifact(embeddingDir(deps.env.ARTIFACTS_DIR, embeddingSetId));
  await markUnfinishedEmbeddingSetFailed(deps, embeddingSetId);
};
