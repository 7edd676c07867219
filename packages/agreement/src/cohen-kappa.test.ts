import { describe, expect, it } from "vitest";
import { AgreementInputError, type TRating } from "./agreement-types.ts";
import { agreementWeight, cohenKappa, cohenKappaFromTable } from "./cohen-kappa.ts";

// Expands a contingency table (rows rater A, columns rater B) into the two raters' label lists.
const expand = (table: number[][], labels: TRating[]): [TRating[], TRating[]] => {
  const a: TRating[] = [];
  const b: TRating[] = [];
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        a.push(labels[i] ?? null);
        b.push(labels[j] ?? null);
      }
    });
  });
  return [a, b];
};

// 2x2 by hand: 50 items, both "yes" 20, A yes / B no 5, A no / B yes 10, both "no" 15.
// Po = 35/50 = 0.7; A says yes 25/50, B 30/50, so Pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
const YES_NO = [
  [20, 5],
  [10, 15],
];

// 3x3 on the scale 0 < 1 < 2, 10 items; rows (A) sum 4, 4, 2 and columns (B) 4, 3, 3.
// Unweighted: Po = 7/10, Pe = (16 + 12 + 6)/100 = 0.34, kappa = 0.36/0.66 = 6/11.
// Linear disagreement |i-j|/2: observed 3 * 0.5 / 10 = 0.15; expected
//   (4*3*.5 + 4*3*1 + 4*4*.5 + 4*3*.5 + 2*4*1 + 2*3*.5)/100 = 0.43, kappa = 1 - 0.15/0.43 = 28/43.
// Quadratic disagreement (i-j)^2/4: observed 3 * 0.25 / 10 = 0.075; expected
//   (4*3*.25 + 4*3*1 + 4*4*.25 + 4*3*.25 + 2*4*1 + 2*3*.25)/100 = 0.315, kappa = 0.24/0.315 = 16/21.
const ORDINAL = [
  [3, 1, 0],
  [1, 2, 1],
  [0, 0, 2],
];

describe("Cohen's kappa", () => {
  it("matches the 2x2 table worked by hand", () => {
    const k = cohenKappaFromTable(YES_NO);
    expect(k.value).toBeCloseTo(0.4, 12);
    expect(k.observedAgreement).toBeCloseTo(0.7, 12);
    expect(k.expectedAgreement).toBeCloseTo(0.5, 12);
    expect(k.items).toBe(50);
  });

  it("gives the same value from the raters' labels, string labels included", () => {
    const [a, b] = expand(YES_NO, ["yes", "no"]);
    const k = cohenKappa(a, b);
    expect(k.value).toBeCloseTo(0.4, 12);
    expect(k.items).toBe(50);
  });

  it("matches the unweighted, linear and quadratic 3x3 kappas worked by hand", () => {
    expect(cohenKappaFromTable(ORDINAL).value).toBeCloseTo(6 / 11, 12);
    expect(cohenKappaFromTable(ORDINAL, "linear").value).toBeCloseTo(28 / 43, 12);
    const q = cohenKappaFromTable(ORDINAL, "quadratic");
    expect(q.value).toBeCloseTo(16 / 21, 12);
    expect(q.observedAgreement).toBeCloseTo(1 - 0.075, 12);
    expect(q.expectedAgreement).toBeCloseTo(1 - 0.315, 12);
    const [a, b] = expand(ORDINAL, [0, 1, 2]);
    expect(cohenKappa(a, b, { weights: "linear" }).value).toBeCloseTo(28 / 43, 12);
  });

  it("measures weights on the declared scale, so an unused scale point counts in the distances", () => {
    // Pairs (0,1), (1,1), (3,3), (3,0) on the scale 0..3 where 2 is never used; rows (1,1,2), cols (1,2,1).
    const a = [0, 1, 3, 3];
    const b = [1, 1, 3, 0];
    // Declared 0..3, d = |i-j|/3: observed (1/3 + 1)/4 = 1/3; expected
    //   (1*2/3 + 1*1 + 1*1/3 + 1*2/3 + 2*1 + 2*2*2/3)/16 = 11/24, kappa = 1 - (1/3)/(11/24) = 3/11.
    expect(cohenKappa(a, b, { weights: "linear", categories: [0, 1, 2, 3] }).value).toBeCloseTo(3 / 11, 12);
    // Observed labels only (positions 0, 1, 2; d = |i-j|/2): observed 3/8, expected 7/16, kappa = 1/7.
    expect(cohenKappa(a, b, { weights: "linear" }).value).toBeCloseTo(1 / 7, 12);
    expect(agreementWeight(0, 1, 3, "linear")).toBe(0.5);
    expect(agreementWeight(0, 2, 3, "quadratic")).toBe(0);
    expect(agreementWeight(0, 1, 3, "quadratic")).toBe(0.75);
  });

  it("skips items either rater left empty", () => {
    const k = cohenKappa(["yes", null, "no", "no", "yes"], ["yes", "no", null, "no", "no"]);
    // Compared items: (yes,yes), (no,no), (yes,no): Po = 2/3, Pe = (2/3)(1/3) + (1/3)(2/3) = 4/9.
    expect(k.items).toBe(3);
    expect(k.value).toBeCloseTo((2 / 3 - 4 / 9) / (1 - 4 / 9), 12);
  });

  it("is 1 for perfect agreement and 0 when raters never share a category", () => {
    expect(cohenKappa([1, 2, 3], [1, 2, 3]).value).toBe(1);
    expect(cohenKappa(["a", "a"], ["b", "b"]).value).toBe(0);
  });

  it("is undefined with a reason when only one category is used", () => {
    const k = cohenKappa(["a", "a", "a"], ["a", "a", "a"]);
    expect(k.value).toBeNull();
    expect(k.reason).toBe("ONE_CATEGORY");
    expect(k.observedAgreement).toBe(1);
    expect(k.expectedAgreement).toBe(1);
    expect(cohenKappa([2, 2], [2, 2], { weights: "quadratic" }).reason).toBe("ONE_CATEGORY");
  });

  it("is undefined when everything is missing or the raters never overlap", () => {
    expect(cohenKappa([null, null], [null, null]).reason).toBe("ALL_MISSING");
    expect(cohenKappaFromTable([[0]]).reason).toBe("ALL_MISSING");
    const k = cohenKappa(["a", null], [null, "a"]);
    expect(k.reason).toBe("NO_OVERLAP");
    expect(k.message).toMatch(/no item/);
  });

  it("rejects bad input and says where", () => {
    expect(() => cohenKappa([1, 2], [1])).toThrow(AgreementInputError);
    expect(() => cohenKappa([1, "x"], [1, 1])).toThrow(
      /item 1, rater 0: mixes string labels with number labels/,
    );
    expect(() => cohenKappa(["lo", "hi"], ["lo", "lo"], { weights: "linear" })).toThrow(/ordered labels/);
    expect(
      cohenKappa(["lo", "hi"], ["lo", "lo"], { weights: "linear", categories: ["lo", "hi"] }).value,
    ).toBe(0);
    expect(() => cohenKappa([1, 5], [1, 1], { categories: [1, 2] })).toThrow(/item 1, rater 0: 5 is not in/);
    expect(() => cohenKappa([Number.NaN], [1])).toThrow(/not a label/);
    expect(() => cohenKappaFromTable([[1, 2], [3]])).toThrow(/row 1/);
  });
});
