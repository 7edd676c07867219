import { mulberry32 } from "@dam/vocabulary/prng";
import { describe, expect, it } from "vitest";
import { isQueryPhrase, sampleWithoutReplacement } from "./task-sampling.ts";

describe("mulberry32", () => {
  it("is deterministic per seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    const draws = Array.from({ length: 10_000 }, mulberry32(7));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // Uniform: the mean of 10,000 draws is 0.5 within 4 standard errors (sd 1/sqrt(12 n) = 0.0029).
    expect(Math.abs(draws.reduce((s, x) => s + x, 0) / draws.length - 0.5)).toBeLessThan(0.0116);
  });
});

describe("sampleWithoutReplacement", () => {
  it("returns k distinct elements in their original order", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const sample = sampleWithoutReplacement(items, 7, mulberry32(1));
    expect(sample).toHaveLength(7);
    expect(new Set(sample).size).toBe(7);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
  });

  it("returns everything when k is at least the length, and nothing for k = 0", () => {
    expect(sampleWithoutReplacement(["a", "b"], 5, mulberry32(1))).toEqual(["a", "b"]);
    expect(sampleWithoutReplacement(["a", "b"], 0, mulberry32(1))).toEqual([]);
  });

  it("gives every element the same chance", () => {
    const counts = [0, 0, 0, 0, 0];
    const random = mulberry32(9);
    for (let n = 0; n < 5_000; n++) {
      for (const i of sampleWithoutReplacement([0, 1, 2, 3, 4], 2, random)) counts[i]! += 1;
    }
    // Each is chosen with probability 2/5: 2,000 of 5,000 draws, sd sqrt(5000 * 0.4 * 0.6) = 34.6.
    for (const count of counts) expect(Math.abs(count - 2_000)).toBeLessThan(140);
  });
});

describe("isQueryPhrase", () => {
  it("keeps product-type bigrams and drops fragments with stopwords or short words", () => {
    expect(isQueryPhrase("dog bed")).toBe(true);
    expect(isQueryPhrase("pruning shears")).toBe(true);
    expect(isQueryPhrase("for dogs")).toBe(false);
    expect(isQueryPhrase("bed s")).toBe(false);
  });
});
