import type { EmbeddingSet } from "@dam/db/client";
import { cosineTopK } from "@dam/embedder/cosine-top-k";
import type { TEmbedder } from "@dam/embedder/embedder-types";
import { createLexicalEmbedderFromState, type TLexicalState } from "@dam/embedder/lexical-embedder";
import { createTransformersEmbedder } from "@dam/embedder/transformers-embedder";
import { dot, norm } from "@dam/embedder/vector-norm";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findItemTitles } from "./embedding.repository.ts";
import { embeddingDir, readLexicalState } from "./embedding-artifact.ts";
import { readCatalogSource, type TCatalogSource } from "./embedding-source.ts";
import { loadVectors } from "./features.service.ts";
import { findTitleMatches } from "./search.repository.ts";
import { blendScores, queryTerms, type TScoredCandidate } from "./search-blend.ts";

export const MAX_SEARCH_HITS = 200;
// Candidates gathered from each signal per hit asked for, before the blend picks the best.
const CANDIDATES_PER_HIT = 4;

export type TSearchHit = {
  rank: number;
  itemId: string;
  title: string | null;
  score: number;
  semanticScore: number | null;
  lexicalScore: number;
};

export type TSearchResult = {
  query: string;
  catalogVersionId: string;
  embeddingSetId: string | null;
  modelId: string | null;
  /** transformers or lexical (the set's embedder), or title-match when the version has no READY set. */
  backend: string;
  hits: TSearchHit[];
};

/** The version to search: the given one, else the catalogue version of the newest READY embedding set, else the newest READY catalogue version. */
const resolveVersion = async (deps: TDeps, catalogVersionId: string | null | undefined): Promise<string> => {
  if (catalogVersionId) return catalogVersionId;
  const set = await deps.db.embeddingSet.findFirst({
    // Text sets only: a query is text, and a picture embedding set cannot embed it.
    where: { status: "READY", modality: "text" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (set) {
    const version = await deps.db.datasetVersion.findUnique({
      where: { id: set.sourceVersionId },
      include: { dataset: { select: { kind: true } } },
    });
    if (version?.dataset.kind === "CATALOG" && version.status === "READY") return version.id;
  }
  const latest = await deps.db.datasetVersion.findFirst({
    where: { status: "READY", dataset: { kind: "CATALOG" } },
    orderBy: [{ readyAt: "desc" }, { id: "desc" }],
  });
  if (!latest) throw new AppError("NOT_FOUND", "There is no READY catalogue version to search");
  return latest.id;
};

// One query embedder per READY set (the set's model or fitted lexical state); a few at most.
const EMBEDDER_CACHE_SIZE = 2;
const embedderCache = new Map<string, Promise<TEmbedder>>();

const openQueryEmbedder = async (deps: TDeps, set: EmbeddingSet): Promise<TEmbedder> => {
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
  const opening = openQueryEmbedder(deps, set);
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

/** Cosine of the query with each embedded item: the top candidates plus the rows of `alsoItems`. */
const semanticCandidates = async (
  deps: TDeps,
  set: EmbeddingSet,
  query: string,
  k: number,
  alsoItems: string[],
): Promise<Map<string, number>> => {
  const vectors = await loadVectors(set, set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!vectors) throw new Error(`embedding set ${set.id} is READY but its artifact is missing`);
  const [vector] = await (await queryEmbedder(deps, set)).embed([query]);
  const { ids, data, manifest } = vectors;
  const scores = new Map<string, number>();
  // Extra rows so that an item listed twice in the catalogue still leaves k distinct items.
  const top = cosineTopK(vector!, { data, rows: ids.length, dimension: manifest.dimension }, k * 2);
  top.indices.forEach((row, i) => {
    const itemId = ids[row]!;
    if (scores.size < k && !scores.has(itemId)) scores.set(itemId, top.scores[i]!);
  });
  const wanted = new Set(alsoItems.filter((itemId) => !scores.has(itemId)));
  if (wanted.size > 0) {
    const queryNorm = norm(vector!);
    ids.forEach((itemId, row) => {
      if (!wanted.has(itemId)) return;
      wanted.delete(itemId);
      const item = data.subarray(row * manifest.dimension, (row + 1) * manifest.dimension);
      const denominator = queryNorm * norm(item);
      scores.set(itemId, denominator === 0 ? 0 : dot(vector!, item) / denominator);
    });
  }
  return scores;
};

/**
 * Searches a catalogue version: the query is embedded by the model of the version's newest READY
 * embedding set (its fitted lexical state when the set was made by the fallback), items are ranked by
 * cosine and blended with a whole-word title match (search-blend.ts). Without a READY set the title
 * match alone ranks, and the result says so (backend title-match).
 */
export const searchCatalog = async (
  deps: TDeps,
  input: { query: string; first: number; catalogVersionId?: string | null },
): Promise<TSearchResult> => {
  const query = input.query.trim();
  if (query === "" || query.length > 500) {
    throw new AppError("BAD_USER_INPUT", "query: 1 to 500 characters", { field: "query" });
  }
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_SEARCH_HITS) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 1 to ${MAX_SEARCH_HITS}`, {
      field: "first",
    });
  }
  const versionId = await resolveVersion(deps, input.catalogVersionId);
  // The template only checks the version (READY, an itemId column); the title column comes with it.
  const loaded = await readCatalogSource(deps, versionId, "{itemId}");
  if (!loaded.ok) throw new AppError(loaded.code, loaded.message, { field: "catalogVersionId" });
  const source: TCatalogSource = loaded.source;
  const set = await deps.db.embeddingSet.findFirst({
    where: { sourceVersionId: versionId, status: "READY", modality: "text" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!set && !source.titleColumn) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${source.label} has neither a READY embedding set nor a title column to search`,
      { field: "catalogVersionId" },
    );
  }
  const k = input.first * CANDIDATES_PER_HIT;
  const lexical = source.titleColumn
    ? await findTitleMatches(deps.pool, {
        table: source.table,
        itemColumn: source.itemColumn,
        titleColumn: source.titleColumn,
        terms: queryTerms(query),
        limit: k,
      })
    : [];
  const lexicalById = new Map(lexical.map((hit) => [hit.itemId, hit.lexical]));
  const semantic = set
    ? await semanticCandidates(
        deps,
        set,
        query,
        k,
        lexical.map((hit) => hit.itemId),
      )
    : new Map<string, number>();
  const candidates: TScoredCandidate[] = [...new Set([...semantic.keys(), ...lexicalById.keys()])].map(
    (itemId) => ({
      itemId,
      semantic: set ? (semantic.get(itemId) ?? 0) : null,
      lexical: lexicalById.get(itemId) ?? 0,
    }),
  );
  const blended = blendScores(candidates, input.first);
  const titles = source.titleColumn
    ? await findItemTitles(deps.pool, {
        table: source.table,
        itemColumn: source.itemColumn,
        titleColumn: source.titleColumn,
        itemIds: blended.map((hit) => hit.itemId),
      })
    : new Map<string, string | null>();
  return {
    query,
    catalogVersionId: versionId,
    embeddingSetId: set?.id ?? null,
    modelId: set?.modelId ?? null,
    backend: set ? set.backend : "title-match",
    hits: blended.map((hit, i) => ({
      rank: i + 1,
      itemId: hit.itemId,
      title: titles.get(hit.itemId) ?? null,
      score: hit.score,
      semanticScore: hit.semantic,
      lexicalScore: hit.lexical,
    })),
  };
};
