// Seeded sampling for generated label tasks: the same seed over the same catalogue version gives the
// same tasks, so a project can be re-created exactly and a test can pin its tasks.

/**
 * `k` distinct elements of `items` chosen uniformly (a partial Fisher-Yates shuffle), returned in
 * their original order so a sampled ranking stays a ranking.
 */
export const sampleWithoutReplacement = <T>(items: readonly T[], k: number, random: () => number): T[] => {
  const indices = items.map((_, i) => i);
  const take = Math.min(Math.max(0, k), items.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices
    .slice(0, take)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
};

// Words that make a title bigram a phrase fragment rather than a query ("with handle", "for dogs").
const STOPWORDS = new Set([
  "and",
  "the",
  "for",
  "with",
  "from",
  "this",
  "that",
  "your",
  "our",
  "into",
  "made",
]);

/** Whether a frequent title bigram can stand as a shopper's query. */
export const isQueryPhrase = (phrase: string): boolean =>
  phrase.split(" ").every((word) => word.length >= 3 && !STOPWORDS.has(word));
