import type { TPlacement, TPlacementAction } from "./merchandising.ts";
import type { TTypoRule } from "./typo-budget.ts";

/** A text field searched by BM25F. */
export type TTextField = {
  name: string;
  /** BM25F field weight w_f (bm25f.ts). */
  weight: number;
  /** BM25F length normalisation b_f in [0, 1]; default 0.75. */
  b?: number;
  /** Typo tolerance by word length; false for id-like fields (codes, SKUs), which match exactly. */
  typos?: TTypoRule | false;
  /** Whether the last query word may match a word of this field by its prefix; default true. */
  prefix?: boolean;
};

export type TSearchSchema = {
  /** The document field holding the unique id. */
  idField: string;
  textFields: TTextField[];
  /** Keyword fields filtered on and counted as facets (a string or a list of strings per document). */
  facetFields: string[];
  /** Number fields for range filters and sorting (price, popularity). */
  numericFields: string[];
  /** BM25 k1; default 1.2. */
  k1?: number;
  /** Groups of words that mean the same (each word of a group finds the others). */
  synonyms?: string[][];
  /** Words ignored in queries and fields; default ENGLISH_STOP_WORDS. */
  stopWords?: string[];
};

export type TFieldValue = string | number | readonly string[] | null | undefined;
export type TSearchDocument = Record<string, TFieldValue>;

/** Items kept: every facet condition (values of one field OR-ed) and every range must hold. */
export type TSearchFilter = {
  /** Facet field -> accepted values. */
  facets?: Record<string, readonly string[]>;
  /** Number field -> inclusive bounds; a document without the number fails a range. */
  ranges?: Record<string, { min?: number | null; max?: number | null }>;
};

export type TSortOrder = { by: "relevance" } | { by: "field"; field: string; direction: "asc" | "desc" };

/** A ranking from another retriever (embeddings), best first; scores are kept for display. */
export type TSemanticRanking = { ids: readonly string[]; scores: readonly number[] };

export type TFusion =
  /** Reciprocal-rank fusion (rank-fusion.ts); k = 60 unless given, each signal with its weight. */
  | {
      method: "rrf";
      k?: number;
      lexicalWeight?: number;
      semanticWeight?: number;
      /** Items matching more query words come first, fused order within each count (default true). */
      wordsFirst?: boolean;
    }
  /** alpha x min-max-normalised semantic score + (1 - alpha) x normalised lexical score. */
  | { method: "blend"; alpha: number };

export type TSearchRequest = {
  query: string;
  filter?: TSearchFilter;
  sort?: TSortOrder;
  semantic?: TSemanticRanking;
  fusion?: TFusion;
  /** Hits to return after `offset`. */
  first: number;
  /** Hits skipped (the position of the `after` cursor); default 0. */
  offset?: number;
  /** Facet fields to count over the filtered result; default none. */
  facets?: string[];
  /** Largest number of values reported per facet; default 20. */
  facetLimit?: number;
  /** Whether hits carry highlights and term matches; default true. */
  explain?: boolean;
  /**
   * Merchandising (merchandising.ts) applied over the relevance ranking of the whole pool; ignored
   * when sorting by a field. A pinned item that passes the filter is shown even if no word matched.
   */
  placements?: readonly TPlacement[];
  /**
   * Re-ranking by the shopper (personalization.ts): each candidate's relevance score is scaled by
   * (1 + weight x affinity). Applied when sorting by relevance to items some query word or the
   * semantic ranking found; ignored when sorting by a field.
   */
  personalization?: TPersonalization;
};

export type TPersonalization = {
  /** In [0, MAX_PERSONAL_WEIGHT]; default DEFAULT_PERSONAL_WEIGHT. */
  weight?: number;
  /** Affinities in [-1, 1] (others are clamped) of the candidates, in the order of the ids given. */
  affinityOf: (ids: readonly string[]) => ArrayLike<number>;
};

/** How personalisation moved one hit. */
export type THitPersonalization = {
  /** The item's affinity to the shopper, in [-1, 1]. */
  affinity: number;
  /** Score added by personalisation (the hit's score minus its relevance score). */
  scoreDelta: number;
  /** Position the hit would have without personalisation, from 1. */
  baseRank: number;
  /** baseRank - rank: positive when personalisation moved the hit up. */
  rankDelta: number;
};

export type TMatchKind = "exact" | "prefix" | "typo" | "synonym";

/** How one query word matched one hit. */
export type TWordMatch = {
  queryWord: string;
  /** The indexed word that matched it. */
  matched: string;
  kind: TMatchKind;
  typos: number;
  /** This word's contribution to the hit's lexical score. */
  score: number;
  /** Fields it was found in. */
  fields: string[];
};

export type THighlight = {
  field: string;
  text: string;
  /** [start, end) offsets of matched words in `text`. */
  ranges: [number, number][];
};

export type TSearchHit = {
  id: string;
  /** Position in the whole ranking, from 1. */
  rank: number;
  /** The fused score the ranking is ordered by (when sorting by relevance). */
  score: number;
  lexicalRank: number | null;
  lexicalScore: number | null;
  semanticRank: number | null;
  semanticScore: number | null;
  matches: TWordMatch[];
  highlights: THighlight[];
  /** The merchandising placement that moved this hit; null when none did. */
  placement: { ruleId: string; action: TPlacementAction } | null;
  /** How personalisation moved this hit; null without personalisation. */
  personalization: THitPersonalization | null;
};

export type TFacetCount = { value: string; count: number };

export type TSearchResponse = {
  hits: TSearchHit[];
  /** Items in the filtered candidate pool (all pages). */
  total: number;
  facets: Record<string, TFacetCount[]>;
  /** Query words searched (after stop words), and those that matched no indexed word. */
  words: string[];
  unmatchedWords: string[];
};
