// The engines the search benchmarks compare, each behind one signature: build on the catalogue, then
// answer a query with item ids best first. Peers get the same fields and the same weights as boosts.
import type { ProductRow } from "@dam/demo-shop/types";
import { stackRows, type TMatrix } from "@dam/embedder/cosine-top-k";
import type { TEmbedder } from "@dam/embedder/embedder-types";
import { hybridFusionFor } from "@dam/search/rank-fusion";
import { buildSearchIndex, type TSearchIndex } from "@dam/search/search-index";
import { searchIndex } from "@dam/search/search-query";
import type { TSemanticRanking } from "@dam/search/search-types";
import { create, insertMultiple, search as oramaSearch } from "@orama/orama";
import MiniSearch from "minisearch";
import {
  SEMANTIC_CANDIDATES,
  SemanticIndex,
} from "../apps/api/src/modules/features/search-semantic-index.ts";
import { FIELD_WEIGHTS, PRODUCT_SCHEMA, productText } from "./search-catalogue.ts";

export type TEngine = { name: string; search: (query: string, k: number) => Promise<string[]> };

const TEXT_FIELDS = Object.keys(FIELD_WEIGHTS);

/** Our index over the catalogue (the product schema of the real service). */
export const buildOurIndex = (rows: ProductRow[]): TSearchIndex =>
  buildSearchIndex(rows as unknown as Record<string, string | number | null>[], PRODUCT_SCHEMA);

export const lexicalEngine = (index: TSearchIndex): TEngine => ({
  name: "ours: lexical (BM25F)",
  search: async (query, k) => searchIndex(index, { query, first: k, explain: false }).hits.map((h) => h.id),
});

/**
 * Semantic retrieval: the query embedded by the same embedder as the items, its nearest items found as
 * the API finds them (SemanticIndex: the HNSW graph for large sets, built before the first query; an
 * exact scan for small ones).
 */
export type TSemanticRetriever = {
  name: string;
  rank: (query: string, k: number) => Promise<TSemanticRanking>;
};

export const semanticRetriever = async (
  name: string,
  embedder: TEmbedder,
  rows: ProductRow[],
): Promise<TSemanticRetriever> => {
  const vectors: Float32Array[] = [];
  const texts = rows.map(productText);
  for (let i = 0; i < texts.length; i += 256)
    vectors.push(...(await embedder.embed(texts.slice(i, i + 256))));
  const matrix: TMatrix = stackRows(vectors, embedder.dimension);
  const index = new SemanticIndex(matrix);
  await index.build();
  return {
    name: index.usesAnn ? `${name}, HNSW` : name,
    rank: async (query, k) => {
      const [vector] = await embedder.embed([query]);
      const top = index.top(vector!, k);
      return { ids: [...top.rows].map((row) => rows[row]!.item_id), scores: [...top.scores] };
    },
  };
};

export const semanticEngine = (retriever: TSemanticRetriever): TEngine => ({
  name: `ours: semantic (${retriever.name})`,
  search: async (query, k) => (await retriever.rank(query, k)).ids.slice(0, k),
});

export const hybridEngine = (
  index: TSearchIndex,
  retriever: TSemanticRetriever,
  backend: "lexical" | "transformers",
): TEngine => ({
  name: `ours: hybrid (${retriever.name})`,
  search: async (query, k) => {
    const semantic = await retriever.rank(query, SEMANTIC_CANDIDATES);
    return searchIndex(index, {
      query,
      first: k,
      semantic,
      fusion: hybridFusionFor(backend),
      explain: false,
    }).hits.map((h) => h.id);
  },
});

const peerDocs = (rows: ProductRow[]) =>
  rows.map((row) => {
    const doc: Record<string, string> = { id: row.item_id };
    for (const field of TEXT_FIELDS) doc[field] = String(row[field as keyof ProductRow] ?? "");
    return doc;
  });

export const MINISEARCH_OPTIONS = { fuzzy: 0.2, prefix: true, boost: FIELD_WEIGHTS };

export const buildMiniSearch = (rows: ProductRow[]): MiniSearch => {
  const mini = new MiniSearch({ fields: TEXT_FIELDS, idField: "id", searchOptions: MINISEARCH_OPTIONS });
  mini.addAll(peerDocs(rows));
  return mini;
};

export const miniSearchEngine = (mini: MiniSearch): TEngine => ({
  name: "minisearch 7.2.0 (fuzzy 0.2, prefix)",
  search: async (query, k) =>
    mini
      .search(query)
      .slice(0, k)
      .map((hit) => String(hit.id)),
});

const ORAMA_SCHEMA = Object.fromEntries(TEXT_FIELDS.map((field) => [field, "string"])) as Record<
  string,
  "string"
>;
export const ORAMA_TOLERANCE = 1;

export const buildOrama = async (rows: ProductRow[]) => {
  const db = create({ schema: ORAMA_SCHEMA });
  await insertMultiple(db, peerDocs(rows), 1000);
  return db;
};

export const oramaEngine = (db: Awaited<ReturnType<typeof buildOrama>>): TEngine => ({
  name: `@orama/orama 3.1.18 (BM25, tolerance ${ORAMA_TOLERANCE})`,
  search: async (query, k) => {
    const result = await oramaSearch(db, {
      term: query,
      properties: TEXT_FIELDS,
      boost: FIELD_WEIGHTS,
      tolerance: ORAMA_TOLERANCE,
      limit: k,
    });
    return result.hits.map((hit) => String(hit.id));
  },
});
