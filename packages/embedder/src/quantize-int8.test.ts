import { mulberry32 } from "@dam/vocabulary/prng";
import { describe, expect, it } from "vitest";
import { dequantizeInt8, quantizeInt8 } from "./quantize-int8.ts";
import { normalizeInPlace } from "./vector-norm.ts";

describe("int8 quantisation", () => {
  it("quantises a hand-worked vector", () => {
    // max|x| = 2.54, so s = 0.02; 1 / 0.02 = 50, -0.03 / 0.02 = -1.5 rounds to -1 (Math.round: half up).
    const { values, scale } = quantizeInt8(new Float32Array([2.54, 1, -0.03, -2.54, 0]));
    expect(scale).toBeCloseTo(0.02, 7);
    expect(Array.from(values)).toEqual([127, 50, -1, -127, 0]);
    expect(Array.from(dequantizeInt8({ values, scale }))).toEqual(
      [2.54, 1, -0.02, -2.54, 0].map((x) => expect.closeTo(x, 6)),
    );
  });

  it("round-trips random unit vectors within half a step per component", () => {
    const rng = mulberry32(12345);
    for (let trial = 0; trial < 200; trial++) {
      const vector = normalizeInPlace(Float32Array.from({ length: 64 }, () => rng() * 2 - 1));
      const quantized = quantizeInt8(vector);
      const restored = dequantizeInt8(quantized);
      let maxAbs = 0;
      for (const x of vector) maxAbs = Math.max(maxAbs, Math.abs(x));
      // Bound: |x - q s| <= s / 2 with s = max|x| / 127 (plus float32 rounding).
      let maxError = 0;
      for (let i = 0; i < vector.length; i++)
        maxError = Math.max(maxError, Math.abs(vector[i]! - restored[i]!));
      expect(maxError).toBeLessThanOrEqual(maxAbs / 254 + 1e-7);
      expect(quantized.values.some((q) => Math.abs(q) === 127)).toBe(true);
    }
  });

  it("keeps the zero vector zero and rejects NaN", () => {
    expect(quantizeInt8(new Float32Array(3))).toEqual({ values: new Int8Array(3), scale: 0 });
    expect(() => quantizeInt8(new Float32Array([1, Number.NaN]))).toThrow(/NaN/);
  });
});
