import { describe, expect, it } from "vitest";
import { AgreementInputError } from "./agreement-types.ts";
import { countByItem, encodeRatings, totalsByItem } from "./ratings-table.ts";

describe("encodeRatings", () => {
  it("sorts observed labels and codes missing ratings as -1", () => {
    const e = encodeRatings([
      [3, null, 1],
      [1, 1, 10],
    ]);
    expect(e.categories).toEqual([1, 3, 10]);
    expect(Array.from(e.codes)).toEqual([1, -1, 0, 0, 0, 2]);
    expect(e.ratingCount).toBe(5);
    expect(e.declaredOrder).toBe(false);
    const counts = countByItem(e);
    expect(Array.from(counts)).toEqual([1, 1, 0, 2, 0, 1]);
    expect(Array.from(totalsByItem(counts, 2, 3))).toEqual([2, 3]);
  });

  it("keeps a declared scale, unused points included", () => {
    const e = encodeRatings([["mid", "high"]], { categories: ["low", "mid", "high"] });
    expect(e.categories).toEqual(["low", "mid", "high"]);
    expect(Array.from(e.codes)).toEqual([1, 2]);
  });

  it("names the offending cell of a malformed table", () => {
    const caught = (() => {
      try {
        encodeRatings([
          [1, 2],
          [1, Number.POSITIVE_INFINITY],
        ]);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(caught).toBeInstanceOf(AgreementInputError);
    expect(caught).toMatchObject({ item: 1, rater: 1, code: "BAD_USER_INPUT" });
    expect(() => encodeRatings([[1, 2], [1]])).toThrow(/item 1 has 1 entries, expected 2/);
    expect(() => encodeRatings([[1]], { categories: [1, 1] })).toThrow(/listed twice/);
    expect(() => encodeRatings([[1]], { categories: [1, "1"] })).toThrow(/mixes numbers and strings/);
    expect(() => encodeRatings([[1]], { categories: [] })).toThrow(/empty/);
  });

  it("accepts an empty table", () => {
    const e = encodeRatings([]);
    expect(e).toMatchObject({ items: 0, raters: 0, categories: [], ratingCount: 0 });
  });
});
