import { describe, expect, it } from "vitest";
import { createRng, randomNormal, sampleIndices } from "./prng.ts";

describe("createRng", () => {
  it("repeats its stream for a seed and differs across seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("gives roughly standard normal draws (mean ~0, variance ~1 over 20k draws)", () => {
    const rng = createRng(1);
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const z = randomNormal(rng);
      sum += z;
      sq += z * z;
    }
    // Standard errors: 1/sqrt(n) ~ 0.007 for the mean, sqrt(2/n) ~ 0.01 for the variance.
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});

describe("sampleIndices", () => {
  it("draws distinct in-range indices and refuses more than n", () => {
    const idx = sampleIndices(createRng(7), 50, 20);
    expect(new Set(idx).size).toBe(20);
    expect(Array.from(idx).every((i) => i >= 0 && i < 50)).toBe(true);
    expect(() => sampleIndices(createRng(7), 3, 4)).toThrow(RangeError);
  });
});
