import { readFile } from "node:fs/promises";
import type { EmbeddingSet } from "@dam/db/client";
import { cosineTopK } from "@dam/embedder/cosine-top-k";
import { createImageEmbedder, type TImageEmbedder } from "@dam/embedder/image-embedder";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { resolveUploads } from "../datasets/upload.service.ts";
import { findItemTitles } from "./embedding.repository.ts";
import { embeddingDir } from "./embedding-artifact.ts";
import { readCatalogSource } from "./embedding-source.ts";
import {
  findEmbeddingSetById,
  findEmbeddingSetCandidates,
  findFeatureSetCandidates,
} from "./feature-sets.repository.ts";
import { loadVectors } from "./features.service.ts";
import { featureSetDir, readFusionArtifact } from "./fusion-artifact.ts";
import { findThumbnails } from "./image.service.ts";
import { checkImage, decodeRgb } from "./image-decode.ts";

export type TSimilarityBasis = "IMAGE" | "TEXT" | "FUSED";
export type TVectors = { ids: string[]; data: Float32Array; dimension: number };
export type TSimilarMatches = {
  setId: string;
  by: TSimilarityBasis;
  madeBy: string;
  items: { itemId: string; score: number; title: string | null; thumbnail: string | null }[];
};

const MAX_FIRST = 100;
// Newest sets looked at for an item when no set is named (a catalogue rarely has more versions than this).
const CANDIDATE_SETS = 5;

const checkFirst = (first: number) => {
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 1 to ${MAX_FIRST}`, {
      field: "first",
    });
  }
};

/** The `first` rows nearest `query` as distinct item ids (a catalogue may list an item twice). */
export const nearestItems = (
  query: Float32Array,
  vectors: TVectors,
  first: number,
  excludeItem: string | null,
): { itemId: string; score: number }[] => {
  const exclude = new Set<number>();
  vectors.ids.forEach((id, row) => {
    if (id === excludeItem) exclude.add(row);
  });
  const top = cosineTopK(
    query,
    { data: vectors.data, rows: vectors.ids.length, dimension: vectors.dimension },
    first * 2,
    exclude,
  );
  const seen = new Set<string>(excludeItem === null ? [] : [excludeItem]);
  const picked: { itemId: string; score: number }[] = [];
  top.indices.forEach((row, i) => {
    const itemId = vectors.ids[row]!;
    if (picked.length < first && !seen.has(itemId)) {
      seen.add(itemId);
      picked.push({ itemId, score: top.scores[i]! });
    }
  });
  return picked;
};

type TSource = { setId: string; catalogVersionId: string; madeBy: string; vectors: TVectors };

const embeddingSource = async (deps: TDeps, set: EmbeddingSet): Promise<TSource> => {
  const loaded = await loadVectors(set, set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!loaded) throw new Error(`embedding set ${set.id} is READY but its artifact is missing`);
  return {
    setId: set.id,
    catalogVersionId: set.sourceVersionId,
    madeBy: `${set.modelId}@${set.modelVersion}`,
    vectors: { ids: loaded.ids, data: loaded.data, dimension: loaded.manifest.dimension },
  };
};

const fusedCache = new Map<string, Promise<TSource | null>>();

const fusedSource = (
  deps: TDeps,
  set: { id: string; name: string; version: number; location: string | null; recipe: unknown },
) => {
  const cached = fusedCache.get(set.id);
  if (cached) return cached;
  const loading = readFusionArtifact(set.location ?? featureSetDir(deps.env.ARTIFACTS_DIR, set.id)).then(
    (loaded) =>
      loaded
        ? {
            setId: set.id,
            catalogVersionId: String((set.recipe as { catalogVersionId?: string }).catalogVersionId ?? ""),
            madeBy: `${set.name} v${set.version}`,
            vectors: { ids: loaded.ids, data: loaded.data, dimension: loaded.manifest.dimension },
          }
        : null,
  );
  fusedCache.set(set.id, loading);
  loading.catch(() => fusedCache.delete(set.id));
  while (fusedCache.size > 4) fusedCache.delete(fusedCache.keys().next().value as string);
  return loading;
};

const MODALITY = { IMAGE: "image", TEXT: "text" } as const;

/** The named set, checked to be READY and of the right kind; or the newest READY one holding `itemId`. */
const pickSource = async (
  deps: TDeps,
  by: TSimilarityBasis,
  setId: string | null,
  itemId: string | null,
): Promise<TSource> => {
  const what = by === "FUSED" ? "feature set" : `${MODALITY[by]} embedding set`;
  const candidates: TSource[] = [];
  if (by === "FUSED") {
    const sets = await findFeatureSetCandidates(deps, { setId, take: CANDIDATE_SETS });
    for (const set of sets) {
      if (set.status !== "READY") {
        throw new AppError(
          "PRECONDITION_FAILED",
          `setId: feature set ${set.id} is ${set.status}, not READY`,
          { field: "setId" },
        );
      }
      const source = await fusedSource(deps, set);
      if (source) candidates.push(source);
    }
  } else {
    const modality = MODALITY[by];
    const sets = await findEmbeddingSetCandidates(deps, { setId, modality, take: CANDIDATE_SETS });
    for (const set of sets) {
      if (set.modality !== modality) {
        throw new AppError(
          "BAD_USER_INPUT",
          `setId: embedding set ${set.id} holds ${set.modality} embeddings, not ${modality}`,
          {
            field: "setId",
          },
        );
      }
      if (set.status !== "READY") {
        throw new AppError(
          "PRECONDITION_FAILED",
          `setId: embedding set ${set.id} is ${set.status}, not READY`,
          { field: "setId" },
        );
      }
      candidates.push(await embeddingSource(deps, set));
    }
  }
  if (setId && candidates.length === 0) {
    throw new AppError("NOT_FOUND", `setId: ${what} ${setId} does not exist`, { field: "setId" });
  }
  const found =
    itemId === null ? candidates[0] : candidates.find((source) => source.vectors.ids.includes(itemId));
  if (!found) {
    const message =
      itemId === null
        ? `there is no READY ${what} yet`
        : setId
          ? `itemId: item ${itemId} is not in ${what} ${setId}`
          : `itemId: no READY ${what} holds item ${itemId}`;
    throw new AppError(itemId === null ? "PRECONDITION_FAILED" : "NOT_FOUND", message, {
      field: itemId === null ? "setId" : "itemId",
    });
  }
  return found;
};

const describeMatches = async (
  deps: TDeps,
  source: TSource,
  by: TSimilarityBasis,
  picked: { itemId: string; score: number }[],
): Promise<TSimilarMatches> => {
  const itemIds = picked.map((item) => item.itemId);
  const catalog = await readCatalogSource(deps, source.catalogVersionId, "{title}").catch(() => null);
  const titles =
    catalog?.ok && catalog.source.titleColumn
      ? await findItemTitles(deps.pool, {
          table: catalog.source.table,
          itemColumn: catalog.source.itemColumn,
          titleColumn: catalog.source.titleColumn,
          itemIds,
        })
      : new Map<string, string | null>();
  const thumbnails = source.catalogVersionId
    ? await findThumbnails(deps, source.catalogVersionId, itemIds)
    : new Map();
  return {
    setId: source.setId,
    by,
    madeBy: source.madeBy,
    items: picked.map((item) => ({
      ...item,
      title: titles.get(item.itemId) ?? null,
      thumbnail: thumbnails.get(item.itemId) ?? null,
    })),
  };
};

/** similarItemsBy: neighbours of an item by its picture, its text or its fused features. */
export const findSimilarItemsBy = async (
  deps: TDeps,
  input: { itemId: string; by: TSimilarityBasis; setId?: string | null; first: number },
): Promise<TSimilarMatches> => {
  checkFirst(input.first);
  const source = await pickSource(deps, input.by, input.setId ?? null, input.itemId);
  const row = source.vectors.ids.indexOf(input.itemId);
  const { dimension, data } = source.vectors;
  const query = data.slice(row * dimension, (row + 1) * dimension);
  return describeMatches(
    deps,
    source,
    input.by,
    nearestItems(query, source.vectors, input.first, input.itemId),
  );
};

// Query-time image models, one per (model, version), loaded on first use and kept.
const queryEmbedders = new Map<string, Promise<TImageEmbedder>>();

const queryEmbedder = (deps: TDeps, modelId: string, modelVersion: string): Promise<TImageEmbedder> => {
  const key = `${modelId}@${modelVersion}`;
  const cached = queryEmbedders.get(key);
  if (cached) return cached;
  const loading = createImageEmbedder({ modelsDir: deps.env.MODELS_DIR, modelId, batchSize: 1 });
  queryEmbedders.set(key, loading);
  loading.catch(() => queryEmbedders.delete(key));
  return loading;
};

/** searchByImage: the items whose pictures look most like an uploaded one, by an image embedding set's model. */
export const searchByImage = async (
  deps: TDeps,
  input: { uploadId: string; embeddingSetId?: string | null; first: number },
): Promise<TSimilarMatches> => {
  checkFirst(input.first);
  const [upload] = await resolveUploads(deps, [input.uploadId]).catch(() => {
    throw new AppError("NOT_FOUND", `uploadId: unknown upload ${input.uploadId}`, { field: "uploadId" });
  });
  const source = await pickSource(deps, "IMAGE", input.embeddingSetId ?? null, null);
  const set = await findEmbeddingSetById(deps, source.setId);
  if (!set) throw new Error(`embedding set ${source.setId} vanished after it was picked`);
  if (Number(upload!.bytes) > deps.env.DAM_MAX_IMAGE_BYTES) {
    throw new AppError(
      "BAD_USER_INPUT",
      `uploadId: ${upload!.originalName}: oversized: ${upload!.bytes} bytes, over the limit of ${deps.env.DAM_MAX_IMAGE_BYTES}`,
      { field: "uploadId" },
    );
  }
  const bytes = await readFile(upload!.path);
  const checked = await checkImage(bytes, {
    maxBytes: deps.env.DAM_MAX_IMAGE_BYTES,
    maxPixels: deps.env.DAM_MAX_IMAGE_PIXELS,
  });
  if (!checked.ok) {
    throw new AppError("BAD_USER_INPUT", `uploadId: ${upload!.originalName}: ${checked.reason}`, {
      field: "uploadId",
    });
  }
  let embedder: TImageEmbedder;
  try {
    embedder = await queryEmbedder(deps, set.modelId, set.modelVersion);
  } catch (error) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `embeddingSetId: the set's model cannot be loaded: ${(error as Error).message}`,
      {
        field: "embeddingSetId",
      },
    );
  }
  if (embedder.modelVersion !== set.modelVersion) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `embeddingSetId: the model files of ${set.modelId} changed since set ${set.id} was made (${set.modelVersion}, now ${embedder.modelVersion}); embed the pictures again`,
      { field: "embeddingSetId" },
    );
  }
  const [query] = await embedder.embed([
    await decodeRgb(bytes, deps.env.DAM_MAX_IMAGE_PIXELS, embedder.inputSize),
  ]);
  return describeMatches(deps, source, "IMAGE", nearestItems(query!, source.vectors, input.first, null));
};
