import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TNodeRef } from "../lineage/lineage.service.ts";
import { embeddingDir, readVectors } from "./embedding-artifact.ts";
import { findEmbeddingSetById } from "./feature-sets.repository.ts";
import type { TEmbeddingLookup } from "./fusion-matrix.ts";

/** The image block of a fusion recipe must name a READY set of picture embeddings. */
export const checkImageEmbeddingSet = async (deps: TDeps, id: string): Promise<void> => {
  const field = "recipe.imageEmbeddingSetId";
  const set = await findEmbeddingSetById(deps, id);
  if (!set) throw new AppError("NOT_FOUND", `${field}: embedding set ${id} does not exist`, { field });
  if (set.modality !== "image") {
    throw new AppError(
      "BAD_USER_INPUT",
      `${field}: embedding set ${id} holds ${set.modality} embeddings, not image`,
      {
        field,
      },
    );
  }
  if (set.status !== "READY") {
    throw new AppError("PRECONDITION_FAILED", `${field}: embedding set ${id} is ${set.status}, not READY`, {
      field,
    });
  }
};

/** The picture vectors of an image embedding set by item id (first row per item), for the fusion job. */
export const readImageLookup = async (
  deps: TDeps,
  id: string,
): Promise<{ lookup: TEmbeddingLookup; ref: TNodeRef }> => {
  const set = await findEmbeddingSetById(deps, id);
  if (set?.status !== "READY" || set.modality !== "image") {
    throw new UnrecoverableError(`Image embedding set ${id} is missing, not READY or not of pictures`);
  }
  const loaded = await readVectors(set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!loaded) throw new UnrecoverableError(`Image embedding set ${set.id} has lost its artifact`);
  const index = new Map<string, number>();
  loaded.ids.forEach((itemId, row) => {
    if (!index.has(itemId)) index.set(itemId, row);
  });
  return {
    lookup: { index, data: loaded.data, dimension: loaded.manifest.dimension },
    ref: { type: "EMBEDDING_SET", refId: set.id, label: `image embeddings ${set.modelId}` },
  };
};
