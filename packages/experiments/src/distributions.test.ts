import { describe, expect, it } from "vitest";
import {
  chiSquareUpper,
  normalCdf,
  normalQuantile,
  normalTwoSided,
  tQuantile,
  tTwoSided,
} from "./distributions.ts";

// Reference values from printed tables: the standard normal table and the t and chi-square critical
// values of NIST/SEMATECH e-Handbook of Statistical Methods, sections 1.3.6.7.1-1.3.6.7.4.
describe("distribution functions", () => {
  it("match the standard normal table", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1.645)).toBeCloseTo(0.05, 3);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalTwoSided(2.5758)).toBeCloseTo(0.01, 4);
  });

  it("match Student's t critical values", () => {
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tTwoSided(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(tTwoSided(3.169, 10)).toBeCloseTo(0.01, 3);
  });

  it("match chi-square upper critical values", () => {
    expect(chiSquareUpper(3.841, 1)).toBeCloseTo(0.05, 3);
    expect(chiSquareUpper(10.828, 1)).toBeCloseTo(0.001, 4);
    expect(chiSquareUpper(13.816, 2)).toBeCloseTo(0.001, 4);
  });
});
