// The indexed terms a query word stands for: the word itself (its term, so plurals and stems meet),
// its synonyms, its spellings within the typo budget and, for the last word while it is being typed,
// its completions. Each variant carries a discount so an exact match outranks a guess.
import type { TSearchIndex } from "./search-index.ts";
import type { TMatchKind } from "./search-types.ts";
import { pairTypoBudget, reachOfTypos, typoBudget } from "./typo-budget.ts";

export type TVariant = {
  termId: number;
  key: string;
  kind: TMatchKind;
  typos: number;
  /** Only a prefix of the indexed word matched (the last query word, being typed). */
  completion: boolean;
  /** Length the typo budget is judged by (typo-budget.ts pairTypoBudget): the longer of the two words. */
  budgetLength: number;
  discount: number;
};

/**
 * Discounts of the guesses against an exact match (1). Our choice, not from a paper: a synonym or a
 * completion is nearly as good as the word; each typo halves the confidence, so one typo ranks an
 * item below every exact match of the same word but above items that miss the word.
 */
export const SYNONYM_DISCOUNT = 0.9;
export const PREFIX_DISCOUNT = 0.85;
export const TYPO_DISCOUNT = 0.5;
/** Completions of a short prefix are many; the most frequent ones are kept. */
export const MAX_COMPLETIONS = 40;
export const MAX_TYPO_VARIANTS = 40;

const rank: Record<TMatchKind, number> = { exact: 0, synonym: 1, prefix: 2, typo: 3 };

const better = (a: TVariant, b: TVariant): boolean =>
  a.discount > b.discount || (a.discount === b.discount && rank[a.kind] < rank[b.kind]);

/** The largest typo budget any text field gives a word of this length. */
export const maxTypoBudget = (index: TSearchIndex, length: number): number =>
  Math.max(0, ...index.fields.map((field) => typoBudget(length, field.typos)));

/**
 * Expansions kept per index, most recently used last. A word's variants depend only on the index (a
 * vocabulary change builds a new one) and the word, and shoppers' queries repeat the same few thousand
 * words, so the trie walks (most of a query's CPU, measured in bench search-http) run once per word.
 */
export const EXPANSION_CACHE_SIZE = 8_192;
const expansions = new WeakMap<TSearchIndex, Map<string, readonly TVariant[]>>();

/** Drops an index's cached expansions (benchmarks measure queries cold with it). */
export const forgetExpansions = (index: TSearchIndex): void => {
  expansions.delete(index);
};

/** The variants of a query word in this index (shared, read-only: callers must not change them). */
export const expandWord = (index: TSearchIndex, word: string, isPrefix: boolean): readonly TVariant[] => {
  let cache = expansions.get(index);
  if (!cache) {
    cache = new Map();
    expansions.set(index, cache);
  }
  const key = `${isPrefix ? "p" : "w"}${word}`;
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const variants = Object.freeze(findVariants(index, word, isPrefix));
  cache.set(key, variants);
  if (cache.size > EXPANSION_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return variants;
};

const findVariants = (index: TSearchIndex, word: string, isPrefix: boolean): TVariant[] => {
  const found = new Map<number, TVariant>();
  const offer = (variant: TVariant) => {
    const seen = found.get(variant.termId);
    if (!seen || better(variant, seen)) found.set(variant.termId, variant);
  };
  const term = index.analyzer.termOf(word);
  for (const key of new Set([word, term])) {
    const termId = index.keyToTerm.get(key);
    if (termId !== undefined)
      offer({ termId, key, kind: "exact", typos: 0, completion: false, budgetLength: 0, discount: 1 });
  }
  for (const synonym of index.synonyms.get(term) ?? []) {
    const termId = index.termIds.get(synonym);
    if (termId !== undefined)
      offer({
        termId,
        key: synonym,
        kind: "synonym",
        typos: 0,
        completion: false,
        budgetLength: 0,
        discount: SYNONYM_DISCOUNT,
      });
  }
  const budget = maxTypoBudget(index, word.length);
  const reach = reachOfTypos(word.length, (length) => maxTypoBudget(index, length));
  if (reach > 0) {
    const typos = [...index.trie.search(word, reach, false)];
    if (term !== word) typos.push(...index.trie.search(term, reach, false));
    typos
      .filter(
        (match) =>
          match.distance > 0 &&
          match.distance <= maxTypoBudget(index, Math.max(word.length, match.key.length)),
      )
      .sort(
        (a, b) =>
          a.distance - b.distance ||
          index.postings[b.termId]!.docs.length - index.postings[a.termId]!.docs.length,
      )
      .slice(0, MAX_TYPO_VARIANTS)
      .forEach((match) => {
        offer({
          termId: match.termId,
          key: match.key,
          kind: "typo",
          typos: match.distance,
          completion: false,
          budgetLength: Math.max(word.length, match.key.length),
          discount: TYPO_DISCOUNT ** match.distance,
        });
      });
  }
  if (isPrefix && index.fields.some((field) => field.prefix)) {
    index.trie
      .search(word, budget, true)
      .filter((match) => match.completion)
      .sort(
        (a, b) =>
          a.distance - b.distance ||
          index.postings[b.termId]!.docs.length - index.postings[a.termId]!.docs.length,
      )
      .slice(0, MAX_COMPLETIONS)
      .forEach((match) => {
        offer({
          termId: match.termId,
          key: match.key,
          kind: match.distance > 0 ? "typo" : "prefix",
          typos: match.distance,
          completion: true,
          budgetLength: word.length,
          discount: PREFIX_DISCOUNT * TYPO_DISCOUNT ** match.distance,
        });
      });
  }
  return [...found.values()];
};

/** Whether a variant may match in a field: typos within the field's budget, completions where allowed. */
export const variantAllowedIn = (
  variant: TVariant,
  field: TSearchIndex["fields"][number],
  wordLength: number,
): boolean => {
  if (variant.typos > pairTypoBudget(wordLength, variant.budgetLength, field.typos)) return false;
  return !variant.completion || field.prefix;
};
