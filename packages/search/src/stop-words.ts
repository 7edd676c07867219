// A short English stop list for shop queries: function words that carry no product meaning
// ("a lamp for the desk"). Kept short on purpose: colour, size and material words are never stop
// words, and stewards extend the list per index (TSearchSchema.stopWords).
export const ENGLISH_STOP_WORDS: readonly string[] = [
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "its",
  "of",
  "on",
  "or",
  "that",
  "the",
  "this",
  "to",
  "with",
];
