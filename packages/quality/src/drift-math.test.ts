import { describe, expect, it } from "vitest";
import { chiSquareSurvival, chiSquareTest, PSI_EPSILON, populationStabilityIndex } from "./drift-math.ts";

describe("populationStabilityIndex", () => {
  it("is 0 for identical distributions", () => {
    expect(
      populationStabilityIndex([
        { bin: "a", expected: 10, actual: 20 },
        { bin: "b", expected: 30, actual: 60 },
      ]),
    ).toBe(0);
  });

  it("matches the hand-computed value for a 50/50 -> 25/75 shift", () => {
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5) = 0.173287 + 0.101366
    const psi = populationStabilityIndex([
      { bin: "a", expected: 50, actual: 25 },
      { bin: "b", expected: 50, actual: 75 },
    ]);
    expect(psi).toBeCloseTo(0.274653, 6);
  });

  it("floors empty bins at epsilon instead of going infinite", () => {
    // e = (1, eps), a = (0.5, 0.5): (eps - ... ) terms computed by hand below.
    const psi = populationStabilityIndex([
      { bin: "a", expected: 10, actual: 5 },
      { bin: "new", expected: 0, actual: 5 },
    ]);
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - PSI_EPSILON) * Math.log(0.5 / PSI_EPSILON);
    expect(psi).toBeCloseTo(expected, 10);
    expect(Number.isFinite(psi)).toBe(true);
  });
});

describe("chi-square", () => {
  it("survival function matches table values", () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(11.070497693516351, 5)).toBeCloseTo(0.05, 8);
    // df = 2: P(X >= x) = exp(-x / 2) exactly.
    expect(chiSquareSurvival(2, 2)).toBeCloseTo(Math.exp(-1), 10);
    expect(chiSquareSurvival(0.5, 3)).toBeCloseTo(0.918891, 5);
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });

  it("tests a 50/50 -> 25/75 shift: X^2 = 625/50 + 625/50 = 25 on 1 df", () => {
    const test = chiSquareTest([
      { bin: "a", expected: 500, actual: 25 },
      { bin: "b", expected: 500, actual: 75 },
    ]);
    expect(test.statistic).toBeCloseTo(25, 6);
    expect(test.degreesOfFreedom).toBe(1);
    expect(test.pValue).toBeCloseTo(5.733031e-7, 12);
  });

  it("does not reject a sample that follows the expected proportions", () => {
    const test = chiSquareTest([
      { bin: "a", expected: 200, actual: 21 },
      { bin: "b", expected: 300, actual: 29 },
      { bin: "c", expected: 500, actual: 50 },
    ]);
    // (21-20)^2/20 + (29-30)^2/30 + 0 = 0.05 + 0.0333
    expect(test.statistic).toBeCloseTo(0.083333, 5);
    expect(test.pValue).toBeGreaterThan(0.9);
  });
});
