import { describe, expect, it } from "vitest";
import type { TRating } from "./agreement-types.ts";
import { categoryAgreement } from "./category-agreement.ts";
import { fleissKappaFromCounts } from "./fleiss-kappa.ts";
import { tableFromCounts, WIKIPEDIA_COUNTS } from "./test-fixtures.ts";

const pairs = (n: number, a: string, b: string): TRating[][] => Array.from({ length: n }, () => [a, b]);

describe("per-category agreement", () => {
  it("gives positive and negative agreement on the 2x2 hand example", () => {
    // 20 (y,y), 5 (y,n), 10 (n,y), 15 (n,n): p_s(y) = 2*20/(2*20 + 15) = 40/55, p_s(n) = 30/45.
    // With two categories each kappa_j equals the overall kappa, here Scott's pi = 13/33.
    const table = [
      ...pairs(20, "y", "y"),
      ...pairs(5, "y", "n"),
      ...pairs(10, "n", "y"),
      ...pairs(15, "n", "n"),
    ];
    const { rows } = categoryAgreement(table);
    expect(rows.map((r) => r.category)).toEqual(["n", "y"]);
    expect(rows[1]?.specificAgreement).toBeCloseTo(40 / 55, 12);
    expect(rows[0]?.specificAgreement).toBeCloseTo(30 / 45, 12);
    expect(rows[1]?.kappa).toBeCloseTo(13 / 33, 12);
    expect(rows[0]?.kappa).toBeCloseTo(13 / 33, 12);
    expect(rows[1]?.ratings).toBe(55);
  });

  it("matches kappa_j of the first category of the 10 x 14 example worked by hand", () => {
    // n_i1 = 0,0,0,0,2,7,3,2,6,0: sum n(m-n) = 24+49+33+24+48 = 178, p_1 = 20/140 = 1/7,
    // kappa_1 = 1 - 178 / (10*14*13 * (1/7)(6/7)) = 1 - 8722/10920; p_s = (2+42+6+2+30)/(20*13) = 82/260.
    const result = categoryAgreement(tableFromCounts(WIKIPEDIA_COUNTS, [1, 2, 3, 4, 5]));
    expect(result.rows[0]?.kappa).toBeCloseTo(1 - 8722 / 10920, 12);
    expect(result.rows[0]?.specificAgreement).toBeCloseTo(82 / 260, 12);
    expect(result.ratersPerItem).toBe(14);
    // Fleiss (1971): kappa = sum_j p_j q_j kappa_j / sum_j p_j q_j.
    const overall = fleissKappaFromCounts(WIKIPEDIA_COUNTS);
    let num = 0;
    let den = 0;
    result.rows.forEach((row, j) => {
      const p = overall.categoryProportions[j] as number;
      num += p * (1 - p) * (row.kappa ?? Number.NaN);
      den += p * (1 - p);
    });
    expect(num / den).toBeCloseTo(overall.value ?? Number.NaN, 12);
  });

  it("uses every item with two or more ratings for specific agreement", () => {
    const result = categoryAgreement([
      [1, 1, 1],
      [1, 2, 2],
      [2, 2, 2],
      [1, 2, null],
      [2, null, null],
    ]);
    // Category 1: sum n(n-1) = 6, sum n(n_i - 1) = 6 + 2 + 1 = 9. Category 2: 8 / (4 + 6 + 1) = 8/11.
    expect(result.rows[0]?.specificAgreement).toBeCloseTo(6 / 9, 12);
    expect(result.rows[1]?.specificAgreement).toBeCloseTo(8 / 11, 12);
    expect(result.pairableItems).toBe(4);
    expect(result.kappaItems).toBe(3);
  });

  it("leaves a category's values null when they are undefined", () => {
    const result = categoryAgreement(
      [
        ["a", "a"],
        ["a", null],
      ],
      { categories: ["a", "b"] },
    );
    expect(result.rows[0]).toEqual({ category: "a", ratings: 3, specificAgreement: 1, kappa: null });
    expect(result.rows[1]).toEqual({ category: "b", ratings: 0, specificAgreement: null, kappa: null });
    expect(categoryAgreement([[null, null]]).rows).toEqual([]);
  });
});
