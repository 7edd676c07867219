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

/**
 * Typos allowed between a typed word and an indexed word: the budget of the longer of the two. The
 * rule counts the length of the word the shopper meant; a missing letter makes the typed word shorter
 * than that ("scrf" for "scarf", 4 letters for a 5-letter word), and judging it by the typed length
 * alone would refuse exactly the typo the rule was meant to allow. An added letter makes it longer,
 * where the typed length already counts. Since a distance of d between words of lengths differing by
 * d means d deletions, a short typed word only reaches longer words this way, never same-length ones.
 */
export const pairTypoBudget = (typedLength: number, indexedLength: number, rule: TTypoRule | false): number =>
  typoBudget(Math.max(typedLength, indexedLength), rule);

/** The largest distance any indexed word can be allowed from a typed word of this length. */
export const reachOfTypos = (typedLength: number, budgetOf: (length: number) => number): number => {
  let reach = budgetOf(typedLength);
  // An indexed word longer by d is at least d edits away; it is allowed d edits if its length gives them.
  for (let d = reach + 1; d <= 2; d++) if (budgetOf(typedLength + d) >= d) reach = d;
  return reach;
};
