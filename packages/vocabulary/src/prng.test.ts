import { describe, expect, it } from "vitest";
import { mixSeed, mulberry32 } from "./prng.ts";

// Reference value: the first draw of mulberry32 seeded 0, as the generator's reference code gives it
// (each draw is a uint32 divided by 2^32, so it is exact in a double).
describe("mulberry32", () => {
  it("is reproducible from its seed and different across seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const drawsA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(drawsA);
    expect([c(), c(), c()]).not.toEqual(drawsA);
  });

  it("gives the published generator's stream", () => {
    const random = mulberry32(0);
    const first = random();
    expect(first * 4294967296).toBe(Math.round(first * 4294967296));
    expect(first).toBeCloseTo(0.26642920868471265, 15);
  });

  it("stays in [0, 1) with a uniform mean", () => {
    const random = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });
});

describe("mixSeed", () => {
  it("maps neighbouring seeds far apart, deterministically", () => {
    expect(mixSeed(1)).toBe(mixSeed(1));
    const bits = (mixSeed(1) ^ mixSeed(2)) >>> 0;
    expect(bits.toString(2).replaceAll("0", "").length).toBeGreaterThan(8);
  });
});
