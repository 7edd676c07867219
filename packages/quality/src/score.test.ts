import { describe, expect, it } from "vitest";
import { gateFailed, passFraction, qualityScore } from "./score.ts";

describe("quality score", () => {
  it("is null without rules and 1 when everything passes", () => {
    expect(qualityScore([])).toBeNull();
    expect(qualityScore([{ severity: "ERROR", failingCount: 0, checkedCount: 10, wholeTable: false }])).toBe(
      1,
    );
  });

  it("weights ERROR rules three times WARN rules", () => {
    // ERROR: 1 - 20/100 = 0.8 (weight 3); WARN: whole-table failure = 0 (weight 1) => 2.4 / 4 = 0.6
    const score = qualityScore([
      { severity: "ERROR", failingCount: 20, checkedCount: 100, wholeTable: false },
      { severity: "WARN", failingCount: 1, checkedCount: 1, wholeTable: true },
    ]);
    expect(score).toBeCloseTo(0.6, 10);
  });

  it("clamps pass fractions and treats an empty check as passing unless it failed", () => {
    expect(passFraction({ severity: "WARN", failingCount: 5, checkedCount: 2, wholeTable: false })).toBe(0);
    expect(passFraction({ severity: "WARN", failingCount: 0, checkedCount: 0, wholeTable: false })).toBe(1);
  });

  it("fails the gate only on an ERROR rule with failing rows", () => {
    expect(gateFailed([{ severity: "WARN", failingCount: 3 }])).toBe(false);
    expect(
      gateFailed([
        { severity: "ERROR", failingCount: 0 },
        { severity: "ERROR", failingCount: 1 },
      ]),
    ).toBe(true);
  });
});
