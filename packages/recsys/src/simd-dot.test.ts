import { describe, expect, it } from "vitest";
import { createRng } from "./prng.ts";
import { createSimdVectors, SIMD_BATCH } from "./simd-dot.ts";

describe("createSimdVectors", () => {
  it("compiles here (Node has WebAssembly SIMD) and pads the stride to a multiple of 16", () => {
    const simd = createSimdVectors(new Float32Array(13 * 2), 2, 13);
    expect(simd).not.toBeNull();
    expect(simd!.stride).toBe(16);
  });

  for (const dim of [4, 13, 64, 100]) {
    it(`matches the inner product on ${dim}-dimensional vectors within the rounding of its codes`, () => {
      const rng = createRng(dim);
      const count = 50;
      const vectors = Float32Array.from({ length: count * dim }, () => rng() - 0.5);
      const simd = createSimdVectors(vectors, count, dim)!;
      const vectorStep = vectors.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 127;
      for (let trial = 0; trial < 3; trial++) {
        const query = Float32Array.from({ length: dim }, () => rng() * 2 - 1);
        const queryStep = query.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 16_383;
        simd.setQuery(query);
        for (let node = 0; node < count; node++) {
          let expected = 0;
          let bound = 0;
          for (let d = 0; d < dim; d++) {
            const v = vectors[node * dim + d]!;
            expected += query[d]! * v;
            // Each code is off by at most half a step; so is each product's share.
            bound +=
              (Math.abs(query[d]!) * vectorStep + Math.abs(v) * queryStep + vectorStep * queryStep) / 2;
          }
          expect(Math.abs(simd.dot(node) - expected)).toBeLessThanOrEqual(bound + 1e-9);
        }
      }
    });
  }

  it("ranks as the exact products do on well-separated vectors", () => {
    const dim = 32;
    const vectors = new Float32Array(3 * dim);
    for (let d = 0; d < dim; d++) {
      vectors[d] = 0.1;
      vectors[dim + d] = 0.5;
      vectors[2 * dim + d] = -0.3;
    }
    const simd = createSimdVectors(vectors, 3, dim)!;
    simd.setQuery(new Float32Array(dim).fill(1));
    expect(simd.dot(1)).toBeGreaterThan(simd.dot(0));
    expect(simd.dot(0)).toBeGreaterThan(simd.dot(2));
    expect(simd.dot(1)).toBeCloseTo(0.5 * dim, 1);
  });

  it("scores a batch of nodes exactly as one dot() each, in the order given, repeats included", () => {
    const dim = 40;
    const count = 300;
    const rng = createRng(7);
    const vectors = Float32Array.from({ length: count * dim }, () => rng() * 2 - 1);
    const simd = createSimdVectors(vectors, count, dim)!;
    simd.setQuery(Float32Array.from({ length: dim }, () => rng() * 2 - 1));
    const ids = [299, 0, 17, 17, 150, 3];
    simd.batchIds.set(ids);
    simd.batchProducts.fill(-1);
    simd.dots(ids.length);
    // Past the batch: untouched.
    expect(simd.batchProducts[ids.length]).toBe(-1);
    // dot() reuses the batch's first slot: read the batch's products first.
    const products = Array.from(simd.batchProducts.subarray(0, ids.length), (p) => p * simd.scale());
    ids.forEach((node, k) => {
      expect(products[k]).toBe(simd.dot(node));
    });
    expect(() => simd.dots(SIMD_BATCH + 1)).toThrow(/above/);
  });
});
