import { describe, expect, it } from "vitest";
import { createRng } from "./prng.ts";
import { createSimdVectors } from "./simd-dot.ts";

describe("createSimdVectors", () => {
  it("compiles here (Node has WebAssembly SIMD) and pads the stride to a multiple of 4", () => {
    const simd = createSimdVectors(new Float32Array(13 * 2), 2, 13);
    expect(simd).not.toBeNull();
    expect(simd!.stride).toBe(16);
  });

  for (const dim of [4, 13, 64]) {
    it(`matches the scalar inner product on ${dim}-dimensional vectors`, () => {
      const rng = createRng(dim);
      const count = 50;
      const vectors = Float32Array.from({ length: count * dim }, () => rng() - 0.5);
      const simd = createSimdVectors(vectors, count, dim)!;
      for (let trial = 0; trial < 3; trial++) {
        const query = Float32Array.from({ length: dim }, () => rng() * 2 - 1);
        simd.setQuery(query);
        for (let node = 0; node < count; node++) {
          let expected = 0;
          for (let d = 0; d < dim; d++) expected += query[d]! * vectors[node * dim + d]!;
          expect(simd.dot(node)).toBeCloseTo(expected, 5);
        }
      }
    });
  }
});
