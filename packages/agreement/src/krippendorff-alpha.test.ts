import { describe, expect, it } from "vitest";
import type { TRating } from "./agreement-types.ts";
import { krippendorffAlpha } from "./krippendorff-alpha.ts";

const _ = null;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units,
// values 1..5 with missing data. Published: nominal .743, ordinal .815, interval .849, ratio .797;
// n = 40 pairable values (unit 12 has a single value and drops out).
const OBSERVERS: TRating[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];

// Our tables are items x raters; the manual prints observers x units.
const transpose = (rows: TRating[][]): TRating[][] =>
  (rows[0] ?? []).map((_value, unit) => rows.map((row) => row[unit] ?? null));

const MANUAL = transpose(OBSERVERS);

describe("Krippendorff's alpha", () => {
  it("reproduces the manual's nominal example (alpha = .743)", () => {
    const a = krippendorffAlpha(MANUAL);
    expect(a.value).toBeCloseTo(0.743, 3);
    expect(a.pairableValues).toBe(40);
    expect(a.units).toBe(11);
    // Hand check from the coincidence matrix: 8 of the 40 pairable values sit off the diagonal.
    expect(a.observedDisagreement).toBeCloseTo(8 / 40, 12);
    let total = 0;
    for (const o of a.coincidences) total += o;
    expect(total).toBeCloseTo(40, 12);
  });

  it("reproduces the manual's ordinal, interval and ratio values", () => {
    expect(krippendorffAlpha(MANUAL, { level: "ordinal" }).value).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(MANUAL, { level: "interval" }).value).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(MANUAL, { level: "ratio" }).value).toBeCloseTo(0.797, 3);
  });

  it("reproduces the 3 coders x 15 units example on Wikipedia (nominal .691, interval .811)", () => {
    const coders: TRating[][] = [
      [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
      [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
      [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
    ];
    const table = transpose(coders);
    expect(krippendorffAlpha(table).value).toBeCloseTo(0.691, 3);
    expect(krippendorffAlpha(table, { level: "interval" }).value).toBeCloseTo(0.811, 3);
  });

  it("ignores units with a single value", () => {
    const without = MANUAL.slice(0, 11);
    expect(krippendorffAlpha(without).value).toBe(krippendorffAlpha(MANUAL).value);
    const added = [...MANUAL, [9, _, _, _]];
    expect(krippendorffAlpha(added).value).toBe(krippendorffAlpha(MANUAL).value);
  });

  it("is 1 for perfect agreement and can go below 0 for systematic disagreement", () => {
    expect(
      krippendorffAlpha([
        [1, 1],
        [2, 2],
      ]).value,
    ).toBe(1);
    // Units (a,b), (b,a): o_ab = o_ba = 2, n = 4; Do = 1, De = 2*2*2/(4*3) = 2/3, alpha = -0.5.
    expect(
      krippendorffAlpha([
        ["a", "b"],
        ["b", "a"],
      ]).value,
    ).toBeCloseTo(-0.5, 12);
  });

  it("is undefined with a reason in the degenerate cases", () => {
    const one = krippendorffAlpha([
      ["x", "x", null],
      ["x", null, "x"],
    ]);
    expect(one.value).toBeNull();
    expect(one.reason).toBe("ONE_CATEGORY");
    expect(one.expectedDisagreement).toBe(0);
    expect(krippendorffAlpha([[null, null]]).reason).toBe("ALL_MISSING");
    expect(krippendorffAlpha([[1], [2], [3]]).reason).toBe("SINGLE_RATER");
    expect(
      krippendorffAlpha([
        [1, null],
        [null, 2],
      ]).reason,
    ).toBe("NO_OVERLAP");
  });

  it("asks for ordered or numeric labels where the level needs them", () => {
    const words = [
      ["low", "high"],
      ["mid", "mid"],
    ];
    expect(() => krippendorffAlpha(words, { level: "ordinal" })).toThrow(/ordered labels/);
    expect(() => krippendorffAlpha(words, { level: "interval" })).toThrow(/numeric labels/);
    expect(
      krippendorffAlpha(words, { level: "ordinal", categories: ["low", "mid", "high"] }).value,
    ).not.toBeNull();
    expect(() => krippendorffAlpha([[-1, 1]], { level: "ratio" })).toThrow(/non-negative/);
  });
});
