import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ImageSet, Prisma } from "@dam/db/client";
import { assertImageModelPresent } from "@dam/embedder/image-embedder";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { resolveUploads } from "../datasets/upload.service.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { ZTemplateColumn } from "./embedding-template.ts";
import {
  createEmbeddingSet,
  createImageSet,
  findImageSetById,
  findImageSetPage,
  findNewestReadyImageSet,
} from "./feature-sets.repository.ts";
import { embedImagesJob, importImagesJob } from "./image.jobs.ts";
import { type TImageReject, ZImageSetSource } from "./image-import-run.service.ts";
import {
  imageSetDir,
  readImageSet,
  type TLoadedImageSet,
  type TStoredImage,
  thumbnailPath,
} from "./image-store.ts";

export type TImageSetModel = ImageSet;

const MAX_UPLOADS = 100;
const MAX_LOOKUP = 200;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/;
// The image embedding set's template: it embeds pictures, not a text template.
export const IMAGE_TEMPLATE = "{image}";

/**
 * Creates an image set (BUILDING) for a READY catalogue version and queues features.importImages.
 * The version, its item id column, the path column and the uploads are checked now, so a bad request
 * fails here and not in a worker.
 */
export const importImages = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { catalogVersionId: string; uploadIds: string[]; pathColumn?: string | null },
) => {
  if (input.uploadIds.length === 0 || input.uploadIds.length > MAX_UPLOADS) {
    throw new AppError("BAD_USER_INPUT", `uploadIds: give 1 to ${MAX_UPLOADS} upload ids`, {
      field: "uploadIds",
    });
  }
  const ids = z.array(z.string().uuid()).safeParse(input.uploadIds);
  if (!ids.success) {
    const index = ids.error.issues[0]?.path[0] ?? 0;
    throw new AppError("BAD_USER_INPUT", `uploadIds[${String(index)}]: not an upload id`, {
      field: "uploadIds",
    });
  }
  await resolveUploads(deps, input.uploadIds);
  const read = await readUsableVersion(deps, input.catalogVersionId, {
    column: ZTemplateColumn,
    roles: ["itemId"],
    field: "catalogVersionId",
  });
  const pathColumn = input.pathColumn ?? null;
  if (pathColumn !== null && !read.columns.some((column) => column.name === pathColumn)) {
    throw new AppError(
      "BAD_USER_INPUT",
      `pathColumn: ${read.label} has no column ${pathColumn} (columns: ${read.columns.map((c) => c.name).join(", ")})`,
      { field: "pathColumn" },
    );
  }
  const source = ZImageSetSource.parse({ uploadIds: input.uploadIds, pathColumn });
  // The set, its job and the audit entry are written in one transaction (jobs.service.ts#enqueueJob).
  const setId = randomUUID();
  return enqueueJob(
    deps,
    importImagesJob,
    { imageSetId: setId },
    {
      actor,
      alsoWrite: (tx) =>
        createImageSet(tx, {
          id: setId,
          catalogVersionId: input.catalogVersionId,
          source: source as Prisma.InputJsonValue,
        }),
      audit: {
        action: "features.importImages",
        targetType: "ImageSet",
        targetId: setId,
        details: { catalogVersionId: input.catalogVersionId, uploadIds: input.uploadIds, pathColumn },
      },
    },
  );
};

/**
 * Creates an image embedding set (BUILDING) for a READY image set and queues features.embedImages.
 * Without the model's files in MODELS_DIR it refuses with the path it looked at: pictures have no
 * fallback embedder, and a set of made-up vectors would be worse than none.
 */
export const embedImages = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { imageSetId: string; modelId?: string | null },
) => {
  const modelId = input.modelId ?? deps.env.DAM_IMAGE_MODEL;
  if (!MODEL_ID.test(modelId) || modelId.includes("..")) {
    throw new AppError(
      "BAD_USER_INPUT",
      "modelId: expected <name> or <owner>/<name>, e.g. Xenova/clip-vit-base-patch32",
      {
        field: "modelId",
      },
    );
  }
  const imageSet = await findImageSetById(deps, input.imageSetId);
  if (!imageSet) {
    throw new AppError("NOT_FOUND", `imageSetId: image set ${input.imageSetId} does not exist`, {
      field: "imageSetId",
    });
  }
  if (imageSet.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `imageSetId: image set ${imageSet.id} is ${imageSet.status}, not READY`,
      {
        field: "imageSetId",
      },
    );
  }
  try {
    await assertImageModelPresent(deps.env.MODELS_DIR, modelId);
  } catch (error) {
    throw new AppError("PRECONDITION_FAILED", `modelId: ${(error as Error).message}`, { field: "modelId" });
  }
  const setId = randomUUID();
  return enqueueJob(
    deps,
    embedImagesJob,
    { embeddingSetId: setId },
    {
      actor,
      alsoWrite: (tx) =>
        createEmbeddingSet(tx, {
          id: setId,
          sourceVersionId: imageSet.catalogVersionId,
          modelId,
          template: IMAGE_TEMPLATE,
          modality: "image",
          imageSetId: imageSet.id,
        }),
      audit: {
        action: "features.embedImages",
        targetType: "EmbeddingSet",
        targetId: setId,
        details: { imageSetId: imageSet.id, modelId },
      },
    },
  );
};

export const findImageSet = (deps: TDeps, id: string) => findImageSetById(deps, id);

export const findImageSets = (
  deps: TDeps,
  args: { catalogVersionId: string; first: number; after?: string | null },
) => findImageSetPage(deps, args);

export const imageSetSource = (set: ImageSet) => ZImageSetSource.parse(set.source);

export const imageSetRejects = (set: ImageSet, first: number): TImageReject[] => {
  if (!Number.isInteger(first) || first < 1 || first > 1_000) {
    throw new AppError("BAD_USER_INPUT", "first: must be an integer from 1 to 1000", { field: "first" });
  }
  return (set.rejects as TImageReject[]).slice(0, first);
};

// READY image sets never change; the item -> picture map of a few is kept.
const CACHE_SIZE = 4;
const setCache = new Map<string, Promise<TLoadedImageSet | null>>();

export const loadImageSet = (deps: TDeps, set: ImageSet): Promise<TLoadedImageSet | null> => {
  const cached = setCache.get(set.id);
  if (cached) return cached;
  const loading = readImageSet(set.location ?? imageSetDir(deps.env.ARTIFACTS_DIR, set.id));
  setCache.set(set.id, loading);
  loading.catch(() => setCache.delete(set.id));
  while (setCache.size > CACHE_SIZE) setCache.delete(setCache.keys().next().value as string);
  return loading;
};

export type TItemImage = Omit<TStoredImage, "file" | "entry"> & { thumbnail: string };

const withThumbnail = async (dir: string, image: TStoredImage): Promise<TItemImage> => ({
  itemId: image.itemId,
  sha256: image.sha256,
  format: image.format,
  width: image.width,
  height: image.height,
  bytes: image.bytes,
  thumbnail: `data:image/webp;base64,${(await readFile(thumbnailPath(dir, image.sha256))).toString("base64")}`,
});

/** Pictures (with thumbnails) of `itemIds` in that order, or the set's first `first` pictures. */
export const findItemImages = async (
  deps: TDeps,
  set: ImageSet,
  args: { itemIds?: string[] | null; first: number },
): Promise<TItemImage[]> => {
  if (set.status !== "READY") return [];
  const limit = args.itemIds ? args.itemIds.length : args.first;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LOOKUP) {
    throw new AppError(
      "BAD_USER_INPUT",
      `${args.itemIds ? "itemIds" : "first"}: at most ${MAX_LOOKUP} pictures per request`,
      {
        field: args.itemIds ? "itemIds" : "first",
      },
    );
  }
  const loaded = await loadImageSet(deps, set);
  if (!loaded) throw new Error(`image set ${set.id} is READY but its pictures are missing`);
  const dir = set.location ?? imageSetDir(deps.env.ARTIFACTS_DIR, set.id);
  const picked = args.itemIds
    ? args.itemIds.flatMap((itemId) => {
        const image = loaded.byItem.get(itemId);
        return image ? [image] : [];
      })
    : loaded.images.slice(0, args.first);
  return Promise.all(picked.map((image) => withThumbnail(dir, image)));
};

/** Thumbnails of items from the newest READY image set of a catalogue version (empty when it has none). */
export const findThumbnails = async (
  deps: TDeps,
  catalogVersionId: string,
  itemIds: string[],
): Promise<Map<string, string>> => {
  const set = await findNewestReadyImageSet(deps, catalogVersionId);
  if (!set) return new Map();
  const images = await findItemImages(deps, set, {
    itemIds: itemIds.slice(0, MAX_LOOKUP),
    first: MAX_LOOKUP,
  });
  return new Map(images.map((image) => [image.itemId, image.thumbnail]));
};
