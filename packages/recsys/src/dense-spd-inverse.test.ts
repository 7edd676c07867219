import { describe, expect, it } from "vitest";
import { invertSpdInPlace } from "./dense-spd-inverse.ts";
import { createRng } from "./prng.ts";

describe("invertSpdInPlace", () => {
  it("inverts a hand-checked 2 x 2 matrix", () => {
    // [[4, 2], [2, 3]]^-1 = (1/8) [[3, -2], [-2, 4]]
    const a = Float64Array.from([4, 0, 2, 3]); // upper triangle is never read
    invertSpdInPlace(a, 2);
    [0.375, -0.25, -0.25, 0.5].forEach((v, k) => {
      expect(a[k]).toBeCloseTo(v, 12);
    });
  });

  it("gives A A^-1 = I on a random SPD matrix", () => {
    const n = 40;
    const rng = createRng(3);
    const m = Float64Array.from({ length: n * n }, () => rng() - 0.5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!;
        a[i * n + j] = s;
      }
    const inv = a.slice();
    invertSpdInPlace(inv, n);
    let maxError = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
        maxError = Math.max(maxError, Math.abs(s - (i === j ? 1 : 0)));
      }
    expect(maxError).toBeLessThan(1e-9);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => invertSpdInPlace(Float64Array.from([1, 0, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});
