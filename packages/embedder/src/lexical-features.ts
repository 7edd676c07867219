// Turns a text into hashed sparse features for the lexical embedder: word unigrams, adjacent word
// bigrams and character 3-grams of each word padded with "<" and ">" (the boundary-marked subwords of
// fastText, Bojanowski et al. 2017, "Enriching Word Vectors with Subword Information"), so "mug" and
// "mugs" share "<mu" and "mug". Each feature is identified by the 32-bit MurmurHash3 of its
// namespaced string; the namespace keeps the word "mug" apart from the 3-gram "mug".

import { murmur3 } from "./murmur3-hash.ts";

const WORD = /[\p{L}\p{N}]+/gu;
const CHAR_GRAM = 3;

/** Lower-cased words: runs of Unicode letters and digits (NFKC first, so "ﬁ" becomes "fi"). */
export const tokenizeWords = (text: string): string[] =>
  text.normalize("NFKC").toLowerCase().match(WORD) ?? [];

/** The feature strings of a text, with repeats (term frequency is their count). */
export const extractFeatures = (text: string): string[] => {
  const words = tokenizeWords(text);
  const features: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    features.push(`w:${word}`);
    if (i > 0) features.push(`b:${words[i - 1]} ${word}`);
    const padded = `<${word}>`;
    const chars = Array.from(padded);
    for (let j = 0; j + CHAR_GRAM <= chars.length; j++) {
      features.push(`c:${chars.slice(j, j + CHAR_GRAM).join("")}`);
    }
  }
  return features;
};

/** Term counts keyed by the feature hash. */
export const countFeatureHashes = (text: string, seed: number): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const feature of extractFeatures(text)) {
    const hash = murmur3(feature, seed);
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return counts;
};
