// Ranking of a catalogue search: the cosine of query and item embeddings, blended with a lexical
// title match. Pure, so the blend is unit-tested on hand-made scores.

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_QUERY_TERMS = 16;

/**
 * Weight of the semantic score in the blend (the lexical title match gets the rest). A title that
 * contains every query word is the strongest single signal a shopper's query gives, but embeddings
 * find the items whose titles use other words; 0.75 / 0.25 keeps the embedding order among items
 * with equal title matches and lifts exact title matches over near-misses of similar cosine.
 */
export const SEMANTIC_WEIGHT = 0.75;

/** Distinct lower-cased words of a query (letters and digits only, so they are safe inside a regex). */
export const queryTerms = (query: string): string[] => [
  ...new Set((query.normalize("NFKC").toLowerCase().match(WORD) ?? []).slice(0, MAX_QUERY_TERMS)),
];

export type TScoredCandidate = {
  itemId: string;
  /** Cosine in [-1, 1]; null when the search has no embedding set. */
  semantic: number | null;
  /** Share of query terms found as whole words in the title, in [0, 1]. */
  lexical: number;
};

export type TBlendedHit = TScoredCandidate & { score: number };

/**
 * Blended score, best first: SEMANTIC_WEIGHT * max(cosine, 0) + (1 - SEMANTIC_WEIGHT) * lexical.
 * Negative cosines count as 0 (no evidence, not counter-evidence). Without embeddings the lexical
 * share is the score. Ties break on the item id, so equal inputs always give the same order.
 */
export const blendScores = (candidates: TScoredCandidate[], first: number): TBlendedHit[] =>
  candidates
    .map((candidate) => ({
      ...candidate,
      score:
        candidate.semantic === null
          ? candidate.lexical
          : SEMANTIC_WEIGHT * Math.max(candidate.semantic, 0) + (1 - SEMANTIC_WEIGHT) * candidate.lexical,
    }))
    .sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0))
    .slice(0, first);
