import { describe, expect, it } from "vitest";
import { DEFAULT_TYPO_RULE, typoBudget } from "./typo-budget.ts";

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
