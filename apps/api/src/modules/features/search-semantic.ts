// The semantic side of a search: the query embedded by the model of the catalogue version's newest
// READY embedding set (its fitted lexical state when the set was made by the fallback embedder), and
// the most cosine-similar items, which the engine fuses with its lexical ranking.
import type { EmbeddingSet } from "@dam/db/client";
import type { TEmbedder } from "@dam/embedder/embedder-types";
import { createLexicalEmbedderFromState, type TLexicalState } from "@dam/embedder/lexical-embedder";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import { ANN_EF } from "@dam/recsys/artifact-scorer";
import type { TSemanticRanking } from "@dam/search/search-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { readCacheFor } from "../core/read-cache.ts";
import { embeddingDir, readLexicalState, type TLoadedVectors } from "./embedding-artifact.ts";
import {
  findLatestReadyCatalogVersion,
  findNewestReadyTextEmbeddingSet,
  findVersionKind,
} from "./feature-sets.repository.ts";
import { loadVectors } from "./features.service.ts";
import { searchSemanticChannel } from "./search-index-channel.ts";
import { SEMANTIC_ANN_MIN_VALUES, SEMANTIC_CANDIDATES, SemanticIndex } from "./search-semantic-index.ts";

// One query embedder per READY set (the set's model or fitted lexical state); a few at most.
const EMBEDDER_CACHE_SIZE = 2;
const embedderCache = new Map<string, Promise<TEmbedder>>();

/** The embedder that made a READY text set (its model, or its fitted lexical state), checked to be the same version. */
export const openSetEmbedder = async (deps: TDeps, set: EmbeddingSet): Promise<TEmbedder> => {
  const dir = set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id);
  const embedder =
    set.backend === "lexical"
      ? await (async () => {
          const state = await readLexicalState(dir);
          if (!state) throw new Error(`embedding set ${set.id} is lexical but has no lexical-state.json`);
          return createLexicalEmbedderFromState(state as TLexicalState);
        })()
      : await createTransformersEmbedder({ modelsDir: deps.env.MODELS_DIR, modelId: set.modelId }).catch(
          (error: unknown) => {
            throw new AppError(
              "PRECONDITION_FAILED",
              `The model ${set.modelId} that made embedding set ${set.id} cannot be loaded: ${String(error)}`,
            );
          },
        );
  // Vectors of another model (or of changed weights) are not comparable with the set's.
  if (embedder.modelVersion !== set.modelVersion) {
    await embedder.dispose();
    throw new AppError(
      "PRECONDITION_FAILED",
      `The model ${set.modelId} is now ${embedder.modelVersion}, but embedding set ${set.id} was made by ${set.modelVersion}; embed the catalogue again`,
    );
  }
  return embedder;
};

const queryEmbedder = (deps: TDeps, set: EmbeddingSet): Promise<TEmbedder> => {
  const cached = embedderCache.get(set.id);
  if (cached) return cached;
  const opening = openSetEmbedder(deps, set);
  embedderCache.set(set.id, opening);
  opening.catch(() => embedderCache.delete(set.id));
  while (embedderCache.size > EMBEDDER_CACHE_SIZE) {
    const oldest = embedderCache.keys().next().value as string;
    const evicted = embedderCache.get(oldest);
    embedderCache.delete(oldest);
    void evicted?.then((embedder) => embedder.dispose()).catch(() => undefined);
  }
  return opening;
};

/**
 * How long a process reuses the embedding set it found for a catalogue version: a search then costs no
 * database read. A set that becomes READY is announced (announceSearchEmbeddingSet), so following
 * processes use it at once; one that missed the announcement, within this time.
 */
const SEARCH_SET_CACHE_MS = 2_000;
const searchSetOf = readCacheFor<TDeps, EmbeddingSet | null>({ ttlMs: SEARCH_SET_CACHE_MS, maxKeys: 64 });

/** The newest READY text embedding set of a catalogue version, if any (a picture set cannot embed a query). */
export const findSearchEmbeddingSet = (deps: TDeps, catalogVersionId: string) =>
  searchSetOf(deps).get(catalogVersionId, () => findNewestReadyTextEmbeddingSet(deps, catalogVersionId));

/**
 * How long a process reuses the catalogue version a search without catalogVersionId defaults to
 * (searches cost no database reads); forgotten at once on an announced embedding set or search index.
 */
const DEFAULT_VERSION_CACHE_MS = 2_000;
const defaultVersionOf = readCacheFor<TDeps, string>({ ttlMs: DEFAULT_VERSION_CACHE_MS, maxKeys: 1 });

const findDefaultSearchVersion = async (deps: TDeps): Promise<string> => {
  // Text sets only: a query is text, and a picture embedding set cannot embed it.
  const set = await findNewestReadyTextEmbeddingSet(deps, null);
  if (set) {
    const version = await findVersionKind(deps, set.sourceVersionId);
    if (version?.dataset.kind === "CATALOG" && version.status === "READY") return set.sourceVersionId;
  }
  const latest = await findLatestReadyCatalogVersion(deps);
  if (!latest) throw new AppError("NOT_FOUND", "There is no READY catalogue version to search");
  return latest.id;
};

/** The version to search: the given one, else the catalogue version of the newest READY embedding set, else the newest READY catalogue version. */
export const resolveSearchVersion = (deps: TDeps, catalogVersionId: string | null | undefined) =>
  catalogVersionId
    ? Promise.resolve(catalogVersionId)
    : defaultVersionOf(deps).get("default", () => findDefaultSearchVersion(deps));

/** Forgets which embedding set this process searches a catalogue version with, and the default version. */
export const forgetSearchSets = (deps: TDeps, catalogVersionId: string): void => {
  searchSetOf(deps).forget(catalogVersionId);
  defaultVersionOf(deps).clear();
};

/**
 * After a text embedding set of the version became READY: this process and every API process following
 * the announcements search with it from now on. A failed announcement is logged; the others then pick
 * the set up when their copy expires.
 */
export const announceSearchEmbeddingSet = async (deps: TDeps, catalogVersionId: string): Promise<void> => {
  forgetSearchSets(deps, catalogVersionId);
  await searchSemanticChannel
    .publish(deps.redis, deps.env.DAM_QUEUE_PREFIX, { catalogVersionId })
    .catch((error: unknown) =>
      logger.warn("search embedding set not announced", { catalogVersionId, error: String(error) }),
    );
};

// One semantic index per READY set searched lately (a READY set never changes, so its id is the key).
const SEMANTIC_INDEX_CACHE_SIZE = 2;
const semanticIndexes = new Map<string, SemanticIndex>();

const semanticIndexOf = (setId: string, vectors: TLoadedVectors): SemanticIndex => {
  const held = semanticIndexes.get(setId);
  if (held) return held;
  const index = new SemanticIndex(
    { data: vectors.data, rows: vectors.ids.length, dimension: vectors.manifest.dimension },
    {
      annMinValues: SEMANTIC_ANN_MIN_VALUES,
      ef: ANN_EF,
      onBuildError: (error) =>
        logger.error("semantic search graph not built; scanning instead", { setId, error: String(error) }),
    },
  );
  semanticIndexes.set(setId, index);
  while (semanticIndexes.size > SEMANTIC_INDEX_CACHE_SIZE) {
    const oldest = semanticIndexes.keys().next().value as string;
    semanticIndexes.get(oldest)?.abandon();
    semanticIndexes.delete(oldest);
  }
  return index;
};

/**
 * The `k` items most cosine-similar to the query, best first (an item listed twice counts once): through
 * the set's HNSW graph for large sets once built, else by exact scan (search-semantic-index.ts).
 */
export const rankSemantically = async (
  deps: TDeps,
  set: EmbeddingSet,
  query: string,
  k: number = SEMANTIC_CANDIDATES,
): Promise<TSemanticRanking> => {
  const vectors = await loadVectors(set, set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!vectors) throw new Error(`embedding set ${set.id} is READY but its artifact is missing`);
  const [vector] = await (await queryEmbedder(deps, set)).embed([query]);
  const { ids } = vectors;
  const top = semanticIndexOf(set.id, vectors).top(vector!, k * 2);
  const seen = new Set<string>();
  const ranking: { ids: string[]; scores: number[] } = { ids: [], scores: [] };
  top.rows.forEach((row, i) => {
    const itemId = ids[row]!;
    if (ranking.ids.length >= k || seen.has(itemId)) return;
    seen.add(itemId);
    ranking.ids.push(itemId);
    ranking.scores.push(top.scores[i]!);
  });
  return ranking;
};
