// One query against an index: expand the words (word-variants.ts), score every document that
// matches any of them with BM25F (bm25f.ts), add the semantic candidates, filter, rank the whole
// filtered pool (lexical order, semantic order, fused order), count facets over it, and only then cut
// the page. The order of the pool is total (ties broken by document number), so the first k hits are
// the same whatever page size is asked for.
import { tokenize } from "./analyzer.ts";
import { bm25fTermScore, bm25Idf } from "./bm25f.ts";
import { buildHighlights } from "./highlight.ts";
import { comparePlacement, compilePlacements } from "./merchandising.ts";
import { clampAffinity, DEFAULT_PERSONAL_WEIGHT, MAX_PERSONAL_WEIGHT } from "./personalization.ts";
import { minMaxScale, RRF_K, reciprocalRankScore } from "./rank-fusion.ts";
import type { TSearchIndex } from "./search-index.ts";
import type {
  TFacetCount,
  TPersonalization,
  TSearchFilter,
  TSearchHit,
  TSearchRequest,
  TSearchResponse,
  TWordMatch,
} from "./search-types.ts";
import { selectTopK } from "./top-k.ts";
import { expandWord, type TVariant, variantAllowedIn } from "./word-variants.ts";

/** Longer queries are cut: a pasted paragraph is not a product search. */
export const MAX_QUERY_WORDS = 12;
const DEFAULT_FACET_LIMIT = 20;

/**
 * A query word, its variants and the idf they all share. The idf is the one of the most frequent
 * variant, as Lucene's blended-frequency rewrite of fuzzy queries does (TopTermsBlendedFreqScoringRewrite):
 * with each variant's own idf, a rare misspelling-like word ("port" for "sports") would outscore the
 * word itself just for being rare.
 */
export type TQueryWord = { word: string; variants: readonly TVariant[]; idf: number };

/** The query's words after stop words (all kept when every word is one), the last one typed as a prefix unless followed by a space. */
export const parseQuery = (index: TSearchIndex, query: string): TQueryWord[] => {
  const tokens = tokenize(query).slice(0, MAX_QUERY_WORDS);
  const endsOpen = tokens.length > 0 && tokens[tokens.length - 1]!.end === query.length;
  const kept = tokens.filter((token) => !index.analyzer.isStopWord(token.word));
  const words = kept.length > 0 ? kept : tokens;
  const seen = new Set<string>();
  const out: TQueryWord[] = [];
  words.forEach((token, i) => {
    const isPrefix = endsOpen && i === words.length - 1 && token === tokens[tokens.length - 1];
    const key = `${token.word}${isPrefix ? "*" : ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    const variants = expandWord(index, token.word, isPrefix);
    let df = 0;
    for (const variant of variants) df = Math.max(df, index.postings[variant.termId]!.docs.length);
    out.push({ word: token.word, variants, idf: bm25Idf(index.ids.length, df) });
  });
  return out;
};

/** w_f for the fields a variant may match in, 0 for the others. */
const allowedWeights = (index: TSearchIndex, variant: TVariant, wordLength: number): Float64Array =>
  Float64Array.from(index.fields, (field) =>
    variantAllowedIn(variant, field, wordLength) ? field.weight : 0,
  );

/** Score of one variant in one document from its postings row (BM25F over the fields it may match). */
const variantScore = (
  index: TSearchIndex,
  variant: TVariant,
  weights: Float64Array,
  idf: number,
  row: number,
  doc: number,
): number => {
  const postings = index.postings[variant.termId]!;
  const fieldCount = index.fields.length;
  let pseudoTf = 0;
  for (let f = 0; f < fieldCount; f++) {
    const tf = postings.tf[row * fieldCount + f]!;
    if (tf > 0 && weights[f]! > 0) pseudoTf += weights[f]! * tf * index.fields[f]!.inverseNorm[doc]!;
  }
  return bm25fTermScore(pseudoTf, idf, index.k1) * variant.discount;
};

type TLexical = { scores: Float64Array; matched: Int32Array; docs: number[] };

/** BM25F per document, each query word scored by its best variant in that document. */
const scoreLexical = (index: TSearchIndex, words: TQueryWord[]): TLexical => {
  const n = index.ids.length;
  const scores = new Float64Array(n);
  const matched = new Int32Array(n);
  const wordScore = new Float64Array(n);
  const docs: number[] = [];
  const fieldCount = index.fields.length;
  const norms = index.fields.map((field) => field.inverseNorm);
  for (const { word, variants, idf } of words) {
    const touched: number[] = [];
    for (const variant of variants) {
      const weights = allowedWeights(index, variant, word.length);
      if (!weights.some((w) => w > 0)) continue;
      const postings = index.postings[variant.termId]!;
      const { docs, tf } = postings;
      const scale = idf * variant.discount;
      const k1 = index.k1;
      for (let row = 0, cell = 0; row < docs.length; row++) {
        const doc = docs[row]!;
        let pseudoTf = 0;
        for (let f = 0; f < fieldCount; f++, cell++) {
          const count = tf[cell]!;
          if (count > 0) pseudoTf += weights[f]! * count * norms[f]![doc]!;
        }
        // bm25fTermScore, inlined: this loop is the query's hot path.
        const score = pseudoTf > 0 ? (pseudoTf / (k1 + pseudoTf)) * scale : 0;
        if (score > wordScore[doc]!) {
          if (wordScore[doc] === 0) touched.push(doc);
          wordScore[doc] = score;
        }
      }
    }
    for (const doc of touched) {
      if (scores[doc] === 0 && matched[doc] === 0) docs.push(doc);
      scores[doc]! += wordScore[doc]!;
      matched[doc]!++;
      wordScore[doc] = 0;
    }
  }
  return { scores, matched, docs };
};

/** Whether a document passes the filter (facet values OR-ed within a field, fields and ranges AND-ed). */
export const compileFilter = (
  index: TSearchIndex,
  filter: TSearchFilter | undefined,
): ((doc: number) => boolean) => {
  const checks: ((doc: number) => boolean)[] = [];
  for (const [name, values] of Object.entries(filter?.facets ?? {})) {
    const column = index.facets.get(name);
    if (!column) throw new RangeError(`filter: ${name} is not a facet field of this index`);
    const wanted = new Set(values.map((v) => column.valueIds.get(v)).filter((id) => id !== undefined));
    checks.push((doc) => {
      for (let i = column.starts[doc]!; i < column.starts[doc + 1]!; i++)
        if (wanted.has(column.vals[i]!)) return true;
      return false;
    });
  }
  for (const [name, range] of Object.entries(filter?.ranges ?? {})) {
    const column = index.numbers.get(name);
    if (!column) throw new RangeError(`filter: ${name} is not a number field of this index`);
    const min = range.min ?? Number.NEGATIVE_INFINITY;
    const max = range.max ?? Number.POSITIVE_INFINITY;
    checks.push((doc) => column[doc]! >= min && column[doc]! <= max);
  }
  return (doc) => checks.every((check) => check(doc));
};

const countFacets = (index: TSearchIndex, names: string[], pool: readonly number[], limit: number) => {
  const out: Record<string, TFacetCount[]> = {};
  for (const name of names) {
    const column = index.facets.get(name);
    if (!column) throw new RangeError(`facets: ${name} is not a facet field of this index`);
    const counts = new Int32Array(column.values.length);
    for (const doc of pool) {
      for (let i = column.starts[doc]!; i < column.starts[doc + 1]!; i++) counts[column.vals[i]!]!++;
    }
    const list: TFacetCount[] = [];
    counts.forEach((count, valueId) => {
      if (count > 0) list.push({ value: column.values[valueId]!, count });
    });
    list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    out[name] = list.slice(0, limit);
  }
  return out;
};

/** How each query word matched one document: its best variant, that variant's score and fields. */
const explainDoc = (
  index: TSearchIndex,
  words: TQueryWord[],
  doc: number,
): { matches: TWordMatch[]; terms: Set<number> } => {
  const matches: TWordMatch[] = [];
  const terms = new Set<number>();
  for (const { word, variants, idf } of words) {
    let best: TWordMatch | null = null;
    for (const variant of variants) {
      const weights = allowedWeights(index, variant, word.length);
      const postings = index.postings[variant.termId]!;
      const row = binarySearch(postings.docs, doc);
      if (row < 0) continue;
      const score = variantScore(index, variant, weights, idf, row, doc);
      if (score <= 0) continue;
      terms.add(variant.termId);
      if (!best || score > best.score) {
        const fields = index.fields
          .filter((_, f) => weights[f]! > 0 && postings.tf[row * index.fields.length + f]! > 0)
          .map((field) => field.name);
        best = {
          queryWord: word,
          matched: variant.key,
          kind: variant.kind,
          typos: variant.typos,
          score,
          fields,
        };
      }
    }
    if (best) matches.push(best);
  }
  return { matches, terms };
};

const binarySearch = (sorted: Int32Array, value: number): number => {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
};

/** Personalised scores of the pool: relevance x (1 + w x affinity), w bounded (personalization.ts). */
const personalizeScores = (
  pool: readonly number[],
  fused: Float64Array,
  ids: readonly string[],
  personalization: TPersonalization,
): { scores: Float64Array; affinity: Float64Array } => {
  const weight = personalization.weight ?? DEFAULT_PERSONAL_WEIGHT;
  if (!(weight >= 0 && weight <= MAX_PERSONAL_WEIGHT))
    throw new RangeError(`personalization weight must be in [0, ${MAX_PERSONAL_WEIGHT}]`);
  const raw = personalization.affinityOf(pool.map((doc) => ids[doc]!));
  const scores = fused.slice();
  const affinity = new Float64Array(fused.length);
  pool.forEach((doc, i) => {
    const a = clampAffinity(raw[i] ?? 0);
    affinity[doc] = a;
    scores[doc] = fused[doc]! * (1 + weight * a);
  });
  return { scores, affinity };
};

/** Runs a search. Throws RangeError for a request that names unknown fields or has bad numbers. */
export const searchIndex = (index: TSearchIndex, request: TSearchRequest): TSearchResponse => {
  const offset = request.offset ?? 0;
  if (!Number.isInteger(request.first) || request.first < 0)
    throw new RangeError("first must be an integer >= 0");
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError("offset must be an integer >= 0");
  const words = parseQuery(index, request.query);
  const lexical = scoreLexical(index, words);
  const passes = compileFilter(index, request.filter);
  const n = index.ids.length;

  // The candidate pool: lexical matches and semantic candidates (everything when the query has no words).
  const semanticRank = new Int32Array(n);
  const semanticScore = new Float64Array(n);
  const inPool = new Uint8Array(n);
  const pool: number[] = [];
  const browse = words.length === 0 && !request.semantic;
  if (browse) {
    for (let doc = 0; doc < n; doc++) if (passes(doc)) pool.push(doc);
  } else {
    for (const doc of lexical.docs) {
      if (passes(doc)) {
        inPool[doc] = 1;
        pool.push(doc);
      }
    }
    let rank = 0;
    request.semantic?.ids.forEach((id, i) => {
      const doc = index.docOf.get(id);
      if (doc === undefined || semanticRank[doc] !== 0 || !passes(doc)) return;
      semanticRank[doc] = ++rank;
      semanticScore[doc] = request.semantic!.scores[i] ?? 0;
      if (!inPool[doc]) {
        inPool[doc] = 1;
        pool.push(doc);
      }
    });
  }

  // Pinned items join the pool when they pass the filter, even if no query word matched them.
  const sort = request.sort ?? { by: "relevance" };
  const placed =
    request.placements && request.placements.length > 0 && sort.by === "relevance"
      ? compilePlacements(index, request.placements)
      : null;
  if (placed && !browse) {
    for (const [doc, placement] of placed) {
      if (placement.action === "pin" && !inPool[doc] && passes(doc)) {
        inPool[doc] = 1;
        pool.push(doc);
      }
    }
  }

  // Lexical order: more query words matched first (Meilisearch's "words" rule), then BM25F. A full
  // sort only when fusion needs every lexical rank; otherwise the page's items are selected.
  const byLexical = (a: number, b: number) =>
    lexical.matched[b]! - lexical.matched[a]! || lexical.scores[b]! - lexical.scores[a]! || a - b;
  const lexicalPool = pool.filter((doc) => lexical.scores[doc]! > 0);
  const hasSemantic = Boolean(request.semantic);
  const wanted = offset + request.first;
  const personalize = Boolean(request.personalization) && sort.by === "relevance" && !browse;
  const lexicalOrder =
    hasSemantic || sort.by !== "relevance" || placed || personalize
      ? lexicalPool.sort(byLexical)
      : selectTopK(lexicalPool, wanted, byLexical);
  const lexicalRank = new Int32Array(n);
  lexicalOrder.forEach((doc, i) => {
    lexicalRank[doc] = i + 1;
  });

  const fused = new Float64Array(n);
  const fusion = request.fusion ?? { method: "rrf" };
  if (!hasSemantic) {
    for (const doc of pool) fused[doc] = lexical.scores[doc]!;
  } else if (fusion.method === "rrf") {
    const weights = [fusion.lexicalWeight ?? 1, fusion.semanticWeight ?? 1];
    for (const doc of pool) {
      fused[doc] = reciprocalRankScore(
        [lexicalRank[doc] || null, semanticRank[doc] || null],
        weights,
        fusion.k ?? RRF_K,
      );
    }
  } else {
    if (!(fusion.alpha >= 0 && fusion.alpha <= 1)) throw new RangeError("fusion alpha must be in [0, 1]");
    const lex = new Float64Array(pool.length);
    const sem = new Float64Array(pool.length);
    const hasLex = new Uint8Array(pool.length);
    const hasSem = new Uint8Array(pool.length);
    pool.forEach((doc, i) => {
      lex[i] = lexical.scores[doc]!;
      hasLex[i] = lexical.scores[doc]! > 0 ? 1 : 0;
      sem[i] = semanticScore[doc]!;
      hasSem[i] = semanticRank[doc]! > 0 ? 1 : 0;
    });
    const lexScaled = minMaxScale(lex, hasLex);
    const semScaled = minMaxScale(sem, hasSem);
    pool.forEach((doc, i) => {
      fused[doc] = fusion.alpha * semScaled[i]! + (1 - fusion.alpha) * lexScaled[i]!;
    });
  }

  // The relevance order over given scores: words first (unless the fusion says otherwise), then score.
  const byScores = (scores: Float64Array): ((a: number, b: number) => number) => {
    if (hasSemantic && fusion.method === "rrf" && fusion.wordsFirst !== false)
      return (a, b) => lexical.matched[b]! - lexical.matched[a]! || scores[b]! - scores[a]! || a - b;
    if (hasSemantic) return (a, b) => scores[b]! - scores[a]! || a - b;
    if (scores === fused) return (a, b) => (lexicalRank[a] || n + a) - (lexicalRank[b] || n + b);
    return (a, b) => lexical.matched[b]! - lexical.matched[a]! || scores[b]! - scores[a]! || a - b;
  };
  const personal = personalize ? personalizeScores(pool, fused, index.ids, request.personalization!) : null;
  const withPlacements = (relevance: (a: number, b: number) => number) =>
    placed ? (a: number, b: number) => comparePlacement(placed, a, b) || relevance(a, b) : relevance;

  let compare: (a: number, b: number) => number;
  if (sort.by === "relevance") {
    compare = byScores(personal ? personal.scores : fused);
  } else {
    const column = index.numbers.get(sort.field);
    if (!column) throw new RangeError(`sort: ${sort.field} is not a number field of this index`);
    const sign = sort.direction === "asc" ? 1 : -1;
    compare = (a, b) => {
      const va = column[a]!;
      const vb = column[b]!;
      const missing = Number(Number.isNaN(va)) - Number(Number.isNaN(vb));
      if (missing !== 0) return missing;
      return sign * (va - vb) || byLexical(a, b);
    };
  }
  compare = withPlacements(compare);
  // Browsing (no words): every item is in the pool with score 0, so the order is the item order.
  const order =
    browse && sort.by === "relevance" && !placed ? pool.slice(0, wanted) : selectTopK(pool, wanted, compare);
  // Where each item would be without personalisation (the whole pool, so a hit raised from deep
  // down gets its true distance).
  const baseRank = personal ? new Int32Array(n) : null;
  if (baseRank) {
    pool
      .slice()
      .sort(withPlacements(byScores(fused)))
      .forEach((doc, i) => {
        baseRank[doc] = i + 1;
      });
  }

  const explain = request.explain ?? true;
  const hits: TSearchHit[] = [];
  const end = Math.min(order.length, wanted);
  for (let position = offset; position < end; position++) {
    const doc = order[position]!;
    const detail = explain ? explainDoc(index, words, doc) : null;
    const placement = placed?.get(doc);
    hits.push({
      id: index.ids[doc]!,
      rank: position + 1,
      score: personal ? personal.scores[doc]! : fused[doc]!,
      lexicalRank: lexicalRank[doc] || null,
      lexicalScore: lexical.scores[doc]! > 0 ? lexical.scores[doc]! : null,
      semanticRank: semanticRank[doc] || null,
      semanticScore: semanticRank[doc] ? semanticScore[doc]! : null,
      matches: detail?.matches ?? [],
      highlights: detail ? buildHighlights(index, doc, detail.terms) : [],
      placement: placement ? { ruleId: placement.ruleId, action: placement.action } : null,
      personalization:
        personal && baseRank
          ? {
              affinity: personal.affinity[doc]!,
              scoreDelta: personal.scores[doc]! - fused[doc]!,
              baseRank: baseRank[doc]!,
              rankDelta: baseRank[doc]! - (position + 1),
            }
          : null,
    });
  }
  const matchedWords = new Set<string>();
  for (const { word, variants } of words) if (variants.length > 0) matchedWords.add(word);
  return {
    hits,
    total: pool.length,
    facets: countFacets(index, request.facets ?? [], pool, request.facetLimit ?? DEFAULT_FACET_LIMIT),
    words: words.map((w) => w.word),
    unmatchedWords: words.filter((w) => !matchedWords.has(w.word)).map((w) => w.word),
  };
};
