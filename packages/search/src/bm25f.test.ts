import { describe, expect, it } from "vitest";
import { bm25fTermScore, bm25Idf, inverseLengthNorm } from "./bm25f.ts";

describe("BM25F formulas (Robertson & Zaragoza 2009, eq. 3.18-3.20)", () => {
  it("idf: ln(1 + (N - df + 0.5) / (df + 0.5))", () => {
    // N = 3, df = 2: ln(1 + 1.5 / 2.5) = ln 1.6
    expect(bm25Idf(3, 2)).toBeCloseTo(0.4700036292, 9);
    // Stays positive for a word in every document: ln(1 + 0.5 / 3.5)
    expect(bm25Idf(3, 3)).toBeCloseTo(0.1335313926, 9);
  });

  it("length norm B_f = 1 - b + b * len / avglen, stored inverted", () => {
    expect(inverseLengthNorm(2, 3, 0.75)).toBeCloseTo(1 / 0.75, 12);
    expect(inverseLengthNorm(4, 3, 0.75)).toBeCloseTo(1 / 1.25, 12);
    expect(inverseLengthNorm(7, 3, 0)).toBe(1);
  });

  it("saturation tf~ / (k1 + tf~) times idf", () => {
    expect(bm25fTermScore(3, Math.log(1.6), 1.2)).toBeCloseTo((3 / 4.2) * Math.log(1.6), 12);
    expect(bm25fTermScore(0, 5, 1.2)).toBe(0);
  });
});
