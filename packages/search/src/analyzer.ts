// Text analysis shared by indexing and querying, so both sides agree on what a term is:
// NFKD-normalise and drop combining marks (so "crème" matches "creme"), lower-case, split on
// anything that is not a letter or a digit, then reduce each word to its term: the English singular
// (the `pluralize` library's rules, which know irregular plurals such as knives -> knife) followed by
// the Porter stemmer (the `stemmer` library; M. F. Porter, "An algorithm for suffix stripping",
// Program 14(3), 1980). Singular first, because Porter alone leaves "knives" and "knife" apart.
import pluralize from "pluralize";
import { stemmer } from "stemmer";

const WORD = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
/** Longer runs are not words a shopper types (hashes, serial numbers); they are cut to this length. */
export const MAX_WORD_LENGTH = 40;

export type TToken = {
  /** The word as normalised (lower case, no diacritics). */
  word: string;
  /** UTF-16 offsets of the word in the original text, end exclusive. */
  start: number;
  end: number;
};

const ASCII_LOWER_OR_DIGIT = /^[a-z0-9]*$/;
// Folding by Unicode normalisation is the slow part of tokenising; catalogues repeat a small
// vocabulary, so folded forms are memoised (cleared when it grows past FOLD_MEMO_LIMIT words).
const FOLD_MEMO_LIMIT = 200_000;
const foldMemo = new Map<string, string>();

/** Lower case without diacritics; one output character per input code unit is not guaranteed, so offsets come from tokenize. */
export const foldWord = (word: string): string => {
  if (ASCII_LOWER_OR_DIGIT.test(word)) return word.slice(0, MAX_WORD_LENGTH);
  const cached = foldMemo.get(word);
  if (cached !== undefined) return cached;
  const folded = word.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase().slice(0, MAX_WORD_LENGTH);
  if (foldMemo.size >= FOLD_MEMO_LIMIT) foldMemo.clear();
  foldMemo.set(word, folded);
  return folded;
};

/** Words of a text with their offsets in it. */
export const tokenize = (text: string): TToken[] => {
  const tokens: TToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = foldWord(match[0]);
    if (word === "") continue;
    tokens.push({ word, start: match.index, end: match.index + match[0].length });
  }
  return tokens;
};

export type TAnalyzer = {
  /** The term of a folded word: singular, then stem; words with digits are kept as they are. */
  termOf: (word: string) => string;
  isStopWord: (word: string) => boolean;
};

/**
 * An analyzer with a memo of word -> term (catalogues repeat a small vocabulary, and the plural
 * rules are a list of regular expressions, too slow to run on every token of 100,000 products).
 */
export const createAnalyzer = (options: { stopWords: readonly string[]; stem?: boolean }): TAnalyzer => {
  const stopWords = new Set(options.stopWords.map(foldWord));
  const stem = options.stem ?? true;
  const memo = new Map<string, string>();
  const termOf = (word: string): string => {
    const cached = memo.get(word);
    if (cached !== undefined) return cached;
    // Digits mark sizes and codes ("20cm", "p000123"): stemming them only causes false matches.
    const term = !stem || /\d/.test(word) || word.length < 3 ? word : stemmer(pluralize.singular(word));
    memo.set(word, term);
    return term;
  };
  return { termOf, isStopWord: (word) => stopWords.has(word) };
};
