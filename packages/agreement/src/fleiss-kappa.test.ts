import { describe, expect, it } from "vitest";
import type { TRating } from "./agreement-types.ts";
import { fleissKappa, fleissKappaFromCounts } from "./fleiss-kappa.ts";
import { tableFromCounts, WIKIPEDIA_COUNTS } from "./test-fixtures.ts";

// WIKIPEDIA_COUNTS: the published 10 items x 14 raters example (kappa = 0.210), see test-fixtures.ts.

describe("Fleiss' kappa", () => {
  it("reproduces the published 10 x 14 example", () => {
    const k = fleissKappaFromCounts(WIKIPEDIA_COUNTS);
    expect(k.value).toBeCloseTo(0.21, 3);
    expect(k.observedAgreement).toBeCloseTo(0.378, 3);
    expect(k.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(Array.from(k.categoryProportions)).toEqual(
      [0.143, 0.2, 0.279, 0.15, 0.229].map((p) => expect.closeTo(p, 3)),
    );
    expect(k.ratersPerItem).toBe(14);
    expect(k.items).toBe(10);
  });

  it("gives the same value from an items x raters table of string labels", () => {
    const table = tableFromCounts(WIKIPEDIA_COUNTS, ["a", "b", "c", "d", "e"]);
    expect(fleissKappa(table).value).toBeCloseTo(
      fleissKappaFromCounts(WIKIPEDIA_COUNTS).value ?? Number.NaN,
      12,
    );
  });

  it("equals Scott's pi for two raters (2x2 hand example: pi = 13/33)", () => {
    // Pairs: 20 (y,y), 5 (y,n), 10 (n,y), 15 (n,n). Po = 0.7; pooled p_yes = 55/100, Pe = .3025 + .2025 = .505.
    const table: TRating[][] = [
      ...Array.from({ length: 20 }, () => ["y", "y"]),
      ...Array.from({ length: 5 }, () => ["y", "n"]),
      ...Array.from({ length: 10 }, () => ["n", "y"]),
      ...Array.from({ length: 15 }, () => ["n", "n"]),
    ];
    expect(fleissKappa(table).value).toBeCloseTo((0.7 - 0.505) / (1 - 0.505), 12);
  });

  it("uses only the items with the modal number of ratings, or throws under the error policy", () => {
    const table: TRating[][] = [
      [1, 1, 1],
      [1, 2, 2],
      [2, 2, 2],
      [1, 2, null],
      [null, null, null],
    ];
    const k = fleissKappa(table);
    // m = 3 on items 0-2: P_i = 1, 1/3, 1 -> Pbar = 7/9; p = (4/9, 5/9) -> Pe = 41/81.
    expect(k.ratersPerItem).toBe(3);
    expect(k.items).toBe(3);
    expect(k.itemsExcluded).toBe(1);
    expect(k.value).toBeCloseTo((7 / 9 - 41 / 81) / (1 - 41 / 81), 12);
    expect(() => fleissKappa(table, { unequalRaters: "error" })).toThrow(
      /item 3 has 2 ratings but most items have 3/,
    );
  });

  it("breaks a tie between counts towards the larger count", () => {
    const k = fleissKappaFromCounts([
      [2, 0],
      [1, 2],
    ]);
    expect(k.ratersPerItem).toBe(3);
    expect(k.items).toBe(1);
  });

  it("is undefined with a reason in the degenerate cases", () => {
    const one = fleissKappa([
      ["x", "x"],
      ["x", "x"],
    ]);
    expect(one.value).toBeNull();
    expect(one.reason).toBe("ONE_CATEGORY");
    expect(one.observedAgreement).toBe(1);
    expect(fleissKappa([[null, null]]).reason).toBe("ALL_MISSING");
    expect(fleissKappa([[1], [2]]).reason).toBe("SINGLE_RATER");
    expect(
      fleissKappa([
        [1, null],
        [null, 2],
      ]).reason,
    ).toBe("NO_OVERLAP");
    expect(fleissKappa([]).reason).toBe("ALL_MISSING");
  });

  it("rejects counts that are not counts", () => {
    expect(() => fleissKappaFromCounts([[1, -1]])).toThrow(/not a count/);
    expect(() => fleissKappaFromCounts([[1, 1], [2]])).toThrow(/item 1 has 1 counts/);
  });
});
