// Fusion of the lexical and the semantic ranking.
// Reciprocal-rank fusion: G. V. Cormack, C. L. A. Clarke and S. Buettcher, "Reciprocal Rank Fusion
// outperforms Condorcet and individual Rank Learning Methods", SIGIR 2009: score(d) = sum over the
// rankings r that contain d of 1 / (k + r(d)), ranks from 1, with k = 60 (the constant of the
// paper, chosen there on TREC runs and used unchanged by Elasticsearch and OpenSearch). A weight per
// ranking multiplies its term (weighted RRF). A document absent from a ranking gets no term from it.

export const RRF_K = 60;

/**
 * The fusion the product and the benchmarks use: RRF, items matching more query words first, the
 * semantic ranking at half the lexical one's weight. Half, not equal: on the search-relevance
 * benchmark's development seeds (catalogue 43, queries 8; never the reported seeds) equal weights let
 * the fallback embedder reorder category intents (NDCG@10 0.784 against lexical 0.909), half kept
 * them (0.906) and overall rose from 0.970 to 0.984; a quarter only broke ties (= lexical).
 */
export const DEFAULT_HYBRID_FUSION = {
  method: "rrf",
  k: RRF_K,
  lexicalWeight: 1,
  semanticWeight: 0.5,
  wordsFirst: true,
} as const;

/**
 * The fusion when the semantic ranking comes from the lexical fallback embedder (hashed TF-IDF of the
 * items' own words: evidence BM25F already has). On the development seeds, after the typo-budget fix,
 * no semantic weight lifted the hybrid above lexical alone (overall NDCG@10, catalogue 43 / queries 8:
 * lexical 0.9880; semantic weight 0.05 and 0.1: 0.9880; 0.25: 0.9877; 0.5: 0.9872; score blends with
 * alpha 0.05 to 0.2: 0.9814 to 0.9781; catalogue 44 / queries 9: lexical, 0.05 and 0.1 all 0.9887,
 * 0.25: 0.9882, 0.5: 0.9881). A tenth keeps it as a tie-breaker and a source of candidates
 * the words missed, without reordering what the words found.
 */
export const FALLBACK_HYBRID_FUSION = { ...DEFAULT_HYBRID_FUSION, semanticWeight: 0.1 } as const;

/** The fusion for a semantic ranking made by an embedding backend ("lexical" is the fallback embedder). */
export const hybridFusionFor = (backend: string) =>
  backend === "lexical" ? FALLBACK_HYBRID_FUSION : DEFAULT_HYBRID_FUSION;

/** RRF score from a document's rank in each ranking (null when it is not in that ranking). */
export const reciprocalRankScore = (
  ranks: readonly (number | null)[],
  weights: readonly number[],
  k: number = RRF_K,
): number => {
  let score = 0;
  ranks.forEach((rank, i) => {
    if (rank !== null) score += (weights[i] ?? 1) / (k + rank);
  });
  return score;
};

/** Min-max scaling to [0, 1] over the values given; all equal -> all 1 (every one is the best). */
export const minMaxScale = (values: Float64Array, present: Uint8Array): Float64Array => {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (!present[i]) continue;
    if (values[i]! < min) min = values[i]!;
    if (values[i]! > max) max = values[i]!;
  }
  const out = new Float64Array(values.length);
  const span = max - min;
  for (let i = 0; i < values.length; i++) {
    if (!present[i]) continue;
    out[i] = span > 0 ? (values[i]! - min) / span : 1;
  }
  return out;
};
