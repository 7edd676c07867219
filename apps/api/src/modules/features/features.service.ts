import { randomUUID } from "node:crypto";
import type { EmbeddingSet } from "@dam/db/client";
import { cosineTopK } from "@dam/embedder/cosine-top-k";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { findItemTitles } from "./embedding.repository.ts";
import { embeddingDir, readManifest, readVectors, type TLoadedVectors } from "./embedding-artifact.ts";
import { readCatalogSource } from "./embedding-source.ts";
import { DEFAULT_EMBEDDING_TEMPLATE } from "./embedding-template.ts";
import { createEmbeddingSet, findEmbeddingSetById, findEmbeddingSetPage } from "./feature-sets.repository.ts";
import { embedCatalogJob } from "./features.jobs.ts";

export const MAX_SIMILAR_ITEMS = 100;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/;

/**
 * Creates an embedding set (BUILDING) for a READY version and queues features.embed for it. The
 * template and version are checked now, so a bad request fails here and not in a worker. Every call
 * makes a new set: embeddings are versioned results, never overwritten.
 */
export const embedCatalog = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { versionId: string; template?: string | null; modelId?: string | null },
) => {
  const template = input.template ?? DEFAULT_EMBEDDING_TEMPLATE;
  const modelId = input.modelId ?? deps.env.DAM_EMBED_MODEL;
  // The id becomes a path under MODELS_DIR: no "..", no absolute paths.
  if (!MODEL_ID.test(modelId) || modelId.includes("..")) {
    throw new AppError(
      "BAD_USER_INPUT",
      "modelId: expected <name> or <owner>/<name>, e.g. Xenova/all-MiniLM-L6-v2",
      {
        field: "modelId",
      },
    );
  }
  const source = await readCatalogSource(deps, input.versionId, template);
  if (!source.ok) {
    const field = source.code === "BAD_USER_INPUT" ? "template" : "versionId";
    throw new AppError(source.code, source.message, { field });
  }
  // The set, its job and the audit entry are written in one transaction (jobs.service.ts#enqueueJob).
  const setId = randomUUID();
  return enqueueJob(
    deps,
    embedCatalogJob,
    { embeddingSetId: setId },
    {
      actor,
      alsoWrite: (tx) =>
        // Model version, backend and dimension are known once the job has loaded the model (or fallen back).
        createEmbeddingSet(tx, { id: setId, sourceVersionId: input.versionId, modelId, template }),
      audit: {
        action: "features.embed",
        targetType: "EmbeddingSet",
        targetId: setId,
        details: { versionId: input.versionId, modelId, template },
      },
    },
  );
};

export const findEmbeddingSet = (deps: TDeps, id: string) => findEmbeddingSetById(deps, id);

export const findEmbeddingSets = (
  deps: TDeps,
  args: { sourceVersionId: string; first: number; after?: string | null },
) => findEmbeddingSetPage(deps, args);

/** Why the lexical embedder made the set's vectors (from the artifact's manifest); null otherwise. */
export const findFallbackReason = async (deps: TDeps, set: EmbeddingSet): Promise<string | null> => {
  if (set.status !== "READY") return null;
  const manifest = await readManifest(set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  return manifest?.fallbackReason ?? null;
};

// READY sets never change, so their vectors can be kept; a few sets at most, oldest dropped first.
const CACHE_SIZE = 4;
const vectorCache = new Map<string, Promise<TLoadedVectors | null>>();

/** The vectors of a READY set, read once and kept (search and similar items share the cache). */
export const loadVectors = (set: EmbeddingSet, dir: string): Promise<TLoadedVectors | null> => {
  const cached = vectorCache.get(set.id);
  if (cached) return cached;
  const loading = readVectors(dir);
  vectorCache.set(set.id, loading);
  loading.catch(() => vectorCache.delete(set.id));
  while (vectorCache.size > CACHE_SIZE) vectorCache.delete(vectorCache.keys().next().value as string);
  return loading;
};

export type TSimilarItem = { itemId: string; score: number; title: string | null };

/** The `first` items whose vectors are most cosine-similar to the item's (the item itself excluded). */
export const findSimilarItemsByEmbedding = async (
  deps: TDeps,
  input: { embeddingSetId: string; itemId: string; first: number },
): Promise<TSimilarItem[]> => {
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_SIMILAR_ITEMS) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 1 to ${MAX_SIMILAR_ITEMS}`, {
      field: "first",
    });
  }
  const set = await findEmbeddingSet(deps, input.embeddingSetId);
  if (!set) {
    throw new AppError("NOT_FOUND", `Embedding set ${input.embeddingSetId} does not exist`, {
      field: "embeddingSetId",
    });
  }
  if (set.status !== "READY") {
    throw new AppError("PRECONDITION_FAILED", `Embedding set ${set.id} is ${set.status}, not READY`, {
      field: "embeddingSetId",
    });
  }
  const vectors = await loadVectors(set, set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!vectors) throw new Error(`embedding set ${set.id} is READY but its artifact is missing`);
  const { ids, data, manifest } = vectors;
  const rows = ids.flatMap((id, row) => (id === input.itemId ? [row] : []));
  if (rows.length === 0) {
    throw new AppError("NOT_FOUND", `Item ${input.itemId} is not in embedding set ${set.id}`, {
      field: "itemId",
    });
  }
  const query = data.slice(rows[0]! * manifest.dimension, (rows[0]! + 1) * manifest.dimension);
  // Extra candidates so that duplicate rows of one item (a catalogue may list an id twice) still leave `first`.
  const top = cosineTopK(
    query,
    { data, rows: ids.length, dimension: manifest.dimension },
    input.first * 2,
    new Set(rows),
  );
  const seen = new Set<string>([input.itemId]);
  const picked: { itemId: string; score: number }[] = [];
  top.indices.forEach((row, i) => {
    const itemId = ids[row]!;
    if (picked.length < input.first && !seen.has(itemId)) {
      seen.add(itemId);
      picked.push({ itemId, score: top.scores[i]! });
    }
  });
  const source = await readCatalogSource(deps, set.sourceVersionId, set.template);
  const titles =
    source.ok && source.source.titleColumn
      ? await findItemTitles(deps.pool, {
          table: source.source.table,
          itemColumn: source.source.itemColumn,
          titleColumn: source.source.titleColumn,
          itemIds: picked.map((item) => item.itemId),
        })
      : new Map<string, string | null>();
  return picked.map((item) => ({ ...item, title: titles.get(item.itemId) ?? null }));
};

export type TEmbeddingSetModel = EmbeddingSet;
