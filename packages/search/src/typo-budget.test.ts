import { describe, expect, it } from "vitest";
import { DEFAULT_TYPO_RULE, pairTypoBudget, reachOfTypos, typoBudget } from "./typo-budget.ts";

describe("typo budget by word length (Meilisearch defaults: 1 from 5, 2 from 9)", () => {
  it("gives none below 5, one from 5 to 8, two from 9", () => {
    expect([1, 4, 5, 8, 9, 20].map((length) => typoBudget(length, DEFAULT_TYPO_RULE))).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
  });
  it("follows a field's own rule and gives none where typos are disabled", () => {
    expect(typoBudget(4, { oneTypo: 3, twoTypos: 6 })).toBe(1);
    expect(typoBudget(6, { oneTypo: 3, twoTypos: 6 })).toBe(2);
    expect(typoBudget(12, false)).toBe(0);
  });
});

describe("typo budget of a typed and an indexed word", () => {
  it("is judged by the longer word, so a 5-letter word missing a letter keeps its typo", () => {
    expect(pairTypoBudget(4, 5, DEFAULT_TYPO_RULE)).toBe(1); // "scrf" for "scarf"
    expect(pairTypoBudget(4, 4, DEFAULT_TYPO_RULE)).toBe(0); // "lamp" is not "damp"
    expect(pairTypoBudget(8, 9, DEFAULT_TYPO_RULE)).toBe(2);
    expect(pairTypoBudget(8, 9, false)).toBe(0);
  });
  it("reaches as far as the longest allowed indexed word needs", () => {
    const budget = (length: number) => typoBudget(length, DEFAULT_TYPO_RULE);
    // 3 letters: a 4-letter word gets no typo, a 5-letter one is 2 edits away: nothing.
    expect([3, 4, 5, 7, 8, 9].map((length) => reachOfTypos(length, budget))).toEqual([0, 1, 1, 2, 2, 2]);
  });
});
