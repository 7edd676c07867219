// How many typos a query word may have, by its length: Meilisearch's defaults (one typo from 5
// characters, two from 9; its documentation, "Typo tolerance settings", minWordSizeForTypos).
// Shorter words take none: one edit of a 3-letter word reaches too many other words.

export type TTypoRule = {
  /** Shortest word (in characters) allowed one typo. */
  oneTypo: number;
  /** Shortest word allowed two typos. */
  twoTypos: number;
};

export const DEFAULT_TYPO_RULE: TTypoRule = { oneTypo: 5, twoTypos: 9 };

/** Typos allowed for a word of this length under the rule; a field with typos disabled passes false. */
export const typoBudget = (length: number, rule: TTypoRule | false): number => {
  if (rule === false) return 0;
  if (length >= rule.twoTypos) return 2;
  if (length >= rule.oneTypo) return 1;
  return 0;
};
