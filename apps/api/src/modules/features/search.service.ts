// Catalogue search: the version's in-memory index (search-index-store.ts, @dam/search) ranks the
// whole candidate pool (lexical matches and the embedding set's semantic candidates, fused by
// reciprocal rank), filters and facets apply to that pool, and only then is the page cut, so the
// first hits never depend on `first`. Every search is logged under a searchId (search-analytics.ts).
import { randomUUID } from "node:crypto";
import { DEFAULT_PERSONAL_WEIGHT, MAX_PERSONAL_WEIGHT } from "@dam/search/personalization";
import { hybridFusionFor } from "@dam/search/rank-fusion";
import { decodeSearchCursor, encodeSearchCursor } from "@dam/search/search-cursor";
import { searchIndex } from "@dam/search/search-query";
import type { TSearchFilter, TSortOrder } from "@dam/search/search-types";
import { suggestCompletions } from "@dam/search/suggest";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { logger } from "../../logger.ts";
import { findShopperTaste } from "../shopper-profiles/shopper-taste.service.ts";
import { findPopularQueries, logSearch } from "./search-analytics.ts";
import { mapSearchHits, type TSearchHit } from "./search-hit.mapper.ts";
import type { TLoadedSearchIndex } from "./search-index-build.service.ts";
import { searchIndexStoreOf } from "./search-index-store.ts";
import { placementsForQuery } from "./search-merchandising.service.ts";
import { personalizationFor, tasteSignals } from "./search-personalization.ts";
import { findSearchEmbeddingSet, rankSemantically, resolveSearchVersion } from "./search-semantic.ts";

export const MAX_SEARCH_HITS = 200;
const MAX_QUERY_LENGTH = 500;
const MAX_FILTER_VALUES = 100;

export type TSearchResult = {
  searchId: string;
  query: string;
  catalogVersionId: string;
  indexVersion: string;
  embeddingSetId: string | null;
  modelId: string | null;
  backend: string;
  hits: TSearchHit[];
  /** Who the ranking was personalised for and by what; null when it was not. */
  personalization: {
    userId: string;
    profileSetId: string;
    segmentId: string | null;
    segmentName: string | null;
    signals: string[];
    weight: number;
  } | null;
  total: number;
  facets: { field: string; kind: string; values: { value: string; count: number }[] }[];
  endCursor: string | null;
  hasNextPage: boolean;
  unmatchedWords: string[];
};

export type TSearchFilterInput = {
  categories?: string[] | null;
  brands?: string[] | null;
  priceMin?: number | null;
  priceMax?: number | null;
  attributes?: { field: string; values: string[] }[] | null;
};

export type TSearchSortInput = "RELEVANCE" | "PRICE_ASC" | "PRICE_DESC" | "POPULARITY";

export type TSearchInput = {
  query: string;
  first: number;
  after?: string | null;
  filter?: TSearchFilterInput | null;
  sort?: TSearchSortInput | null;
  userId?: string | null;
  /** Weight of personalisation in [0, MAX_PERSONAL_WEIGHT]; default DEFAULT_PERSONAL_WEIGHT; 0 turns it off. */
  personalWeight?: number | null;
  catalogVersionId?: string | null;
};

const columnWithRole = (loaded: TLoadedSearchIndex, role: string, field: string): string => {
  const column = loaded.mapping.roles[role];
  if (!column) {
    throw new AppError("BAD_USER_INPUT", `${field}: ${loaded.label} has no column with the role ${role}`, {
      field,
    });
  }
  return column;
};

const checkValues = (values: string[], field: string): string[] => {
  if (values.length > MAX_FILTER_VALUES) {
    throw new AppError("BAD_USER_INPUT", `${field}: at most ${MAX_FILTER_VALUES} values`, { field });
  }
  return values;
};

/** The engine's filter from the GraphQL one; unknown fields are refused, naming the field. */
export const compileSearchFilter = (
  loaded: TLoadedSearchIndex,
  input: TSearchFilterInput | null | undefined,
) => {
  const filter: Required<TSearchFilter> = { facets: {}, ranges: {} };
  if (!input) return filter;
  if (input.categories) {
    filter.facets[columnWithRole(loaded, "category", "filter.categories")] = checkValues(
      input.categories,
      "filter.categories",
    );
  }
  if (input.brands) {
    filter.facets[columnWithRole(loaded, "brand", "filter.brands")] = checkValues(
      input.brands,
      "filter.brands",
    );
  }
  for (const [i, attribute] of (input.attributes ?? []).entries()) {
    const field = `filter.attributes[${i}].field`;
    if (!loaded.mapping.schema.facetFields.includes(attribute.field)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `${field}: "${attribute.field}" is not a facet of ${loaded.label} (facets: ${loaded.mapping.schema.facetFields.join(", ") || "none"})`,
        { field },
      );
    }
    filter.facets[attribute.field] = checkValues(attribute.values, `filter.attributes[${i}].values`);
  }
  if (input.priceMin != null || input.priceMax != null) {
    const price = columnWithRole(loaded, "price", "filter.priceMin");
    if (input.priceMin != null && input.priceMax != null && input.priceMin > input.priceMax) {
      throw new AppError("BAD_USER_INPUT", "filter.priceMin: must not exceed priceMax", {
        field: "filter.priceMin",
      });
    }
    filter.ranges[price] = { min: input.priceMin ?? null, max: input.priceMax ?? null };
  }
  return filter;
};

const compileSort = (loaded: TLoadedSearchIndex, sort: TSearchSortInput | null | undefined): TSortOrder => {
  switch (sort ?? "RELEVANCE") {
    case "RELEVANCE":
      return { by: "relevance" };
    case "PRICE_ASC":
      return { by: "field", field: columnWithRole(loaded, "price", "sort"), direction: "asc" };
    case "PRICE_DESC":
      return { by: "field", field: columnWithRole(loaded, "price", "sort"), direction: "desc" };
    case "POPULARITY":
      return { by: "field", field: columnWithRole(loaded, "popularity", "sort"), direction: "desc" };
    default: {
      const unknown: never = sort as never;
      throw new AppError("BAD_USER_INPUT", `sort: unknown order ${String(unknown)}`, { field: "sort" });
    }
  }
};

const facetKind = (loaded: TLoadedSearchIndex, field: string): string =>
  Object.entries(loaded.mapping.roles).find(([, column]) => column === field)?.[0] ?? "attribute";

export const searchCatalog = async (deps: TDeps, input: TSearchInput): Promise<TSearchResult> => {
  const started = performance.now();
  const query = input.query.trim();
  if (query === "" || query.length > MAX_QUERY_LENGTH) {
    throw new AppError("BAD_USER_INPUT", `query: 1 to ${MAX_QUERY_LENGTH} characters`, { field: "query" });
  }
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_SEARCH_HITS) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 1 to ${MAX_SEARCH_HITS}`, {
      field: "first",
    });
  }
  if (input.userId != null && (input.userId.length === 0 || input.userId.length > 200)) {
    throw new AppError("BAD_USER_INPUT", "userId: 1 to 200 characters", { field: "userId" });
  }
  const weight = input.personalWeight ?? DEFAULT_PERSONAL_WEIGHT;
  if (!(weight >= 0 && weight <= MAX_PERSONAL_WEIGHT)) {
    throw new AppError("BAD_USER_INPUT", `personalWeight: must be from 0 to ${MAX_PERSONAL_WEIGHT}`, {
      field: "personalWeight",
    });
  }
  const versionId = await resolveSearchVersion(deps, input.catalogVersionId);
  const loaded = await searchIndexStoreOf(deps).get(versionId);
  let offset = 0;
  if (input.after) {
    const cursor = decodeSearchCursor(input.after);
    if (!cursor) throw new AppError("BAD_USER_INPUT", "after: not a search cursor", { field: "after" });
    if (cursor.indexVersion !== loaded.indexVersion) {
      throw new AppError("BAD_USER_INPUT", "after: the cursor is from another index version; search again", {
        field: "after",
      });
    }
    offset = cursor.position;
  }
  const filter = compileSearchFilter(loaded, input.filter);
  const sort = compileSort(loaded, input.sort);
  const set = await findSearchEmbeddingSet(deps, versionId);
  const semantic = set ? await rankSemantically(deps, set, query) : undefined;
  const placements = await placementsForQuery(deps, loaded, query);
  const taste =
    input.userId && weight > 0
      ? await findShopperTaste(deps, { userId: input.userId, catalogVersionId: versionId })
      : null;
  const signals = taste ? tasteSignals(taste) : [];
  const personal = taste && signals.length > 0 ? personalizationFor(loaded, taste, weight) : undefined;
  let response: ReturnType<typeof searchIndex>;
  try {
    response = searchIndex(loaded.index, {
      query,
      first: input.first,
      offset,
      filter,
      sort,
      ...(semantic && set ? { semantic, fusion: hybridFusionFor(set.backend) } : {}),
      facets: loaded.mapping.schema.facetFields,
      placements,
      ...(personal ? { personalization: personal } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_USER_INPUT", error.message);
    throw error;
  }
  const hits = mapSearchHits(loaded, response.hits);
  const last = hits[hits.length - 1];
  const searchId = randomUUID();
  // Logged off the answer's path: the answer does not wait on Redis, and a search still answers when
  // Redis is down (its log is then lost, with a warning). Commands on one connection run in order, so
  // a click tracked through this process always finds its search's log.
  void logSearch(deps, {
    searchId,
    query,
    catalogVersionId: versionId,
    indexVersion: loaded.indexVersion,
    userId: input.userId ?? null,
    filter: input.filter ?? null,
    total: response.total,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    at: new Date().toISOString(),
    firstPage: offset === 0,
  }).catch((error: unknown) => logger.warn("search not logged", { searchId, error: String(error) }));
  return {
    searchId,
    query,
    catalogVersionId: versionId,
    indexVersion: loaded.indexVersion,
    embeddingSetId: set?.id ?? null,
    modelId: set?.modelId ?? null,
    backend: set ? `bm25f+${set.backend}` : "bm25f",
    hits,
    personalization:
      taste && personal
        ? {
            userId: taste.userId,
            profileSetId: taste.profileSetId,
            segmentId: taste.segment?.id ?? null,
            segmentName: taste.segment?.name ?? null,
            signals,
            weight,
          }
        : null,
    total: response.total,
    facets: Object.entries(response.facets).map(([field, values]) => ({
      field,
      kind: facetKind(loaded, field),
      values,
    })),
    endCursor: last ? encodeSearchCursor({ position: last.rank, indexVersion: loaded.indexVersion }) : null,
    hasNextPage: offset + hits.length < response.total,
    unmatchedWords: response.unmatchedWords,
  };
};

export type TSuggestion = { text: string; source: "titles" | "queries"; count: number };

/** Completions from the catalogue's words, then past queries with the same start. */
export const suggestQueries = async (
  deps: TDeps,
  input: { prefix: string; first: number; catalogVersionId?: string | null },
): Promise<TSuggestion[]> => {
  if (input.prefix.length > MAX_QUERY_LENGTH) {
    throw new AppError("BAD_USER_INPUT", `prefix: at most ${MAX_QUERY_LENGTH} characters`, {
      field: "prefix",
    });
  }
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > 20) {
    throw new AppError("BAD_USER_INPUT", "first: must be an integer from 1 to 20", { field: "first" });
  }
  if (input.prefix.trim() === "") return [];
  const versionId = await resolveSearchVersion(deps, input.catalogVersionId);
  const loaded = await searchIndexStoreOf(deps).get(versionId);
  const fromTitles: TSuggestion[] = suggestCompletions(loaded.index, input.prefix, input.first).map((s) => ({
    text: s.text,
    source: "titles",
    count: s.documents,
  }));
  const fromQueries: TSuggestion[] = (await findPopularQueries(deps, input.prefix, input.first)).map(
    ([text, count]) => ({ text, source: "queries", count }),
  );
  const seen = new Set<string>();
  return [...fromQueries, ...fromTitles]
    .filter((s) => !seen.has(s.text.toLowerCase()) && seen.add(s.text.toLowerCase()))
    .slice(0, input.first);
};
