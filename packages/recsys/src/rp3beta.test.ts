import { describe, expect, it } from "vitest";
import { csrFromCoo, csrRow } from "./csr-matrix.ts";
import { fitRp3beta } from "./rp3beta.ts";

// u0: i0 i1 / u1: i0 i1 i2 / u2: i2 i3 (binary). User degrees 2, 3, 2; item degrees 2, 2, 2, 1.
const x = csrFromCoo(
  { rows: 3, cols: 4 },
  { rows: [0, 0, 1, 1, 1, 2, 2], cols: [0, 1, 0, 1, 2, 2, 3], values: [1, 1, 1, 1, 1, 1, 1] },
);
const row = (m: ReturnType<typeof fitRp3beta>, i: number) => {
  const r = csrRow(m.neighbours, i);
  return Object.fromEntries(Array.from(r.indices, (j, t) => [j, r.values[t]!]));
};

describe("RP3beta", () => {
  it("alpha 1, beta 0 is the 3-step random walk i -> u -> j", () => {
    const m = fitRp3beta(x, { alpha: 1, beta: 0, k: 10 });
    // W_01 = (1/2)(1/2) via u0 + (1/2)(1/3) via u1 = 5/12; W_02 = (1/2)(1/3) via u1.
    const r0 = row(m, 0);
    expect(Object.keys(r0)).toEqual(["1", "2"]);
    expect(r0[1]).toBeCloseTo(5 / 12, 6);
    expect(r0[2]).toBeCloseTo(1 / 6, 6);
    // i3 has one user (u2, degree 2): W_32 = 1 * 1/2.
    expect(row(m, 3)).toEqual({ 2: 0.5 });
  });

  it("divides by the arrival item's degree^beta and raises transitions to alpha", () => {
    const m = fitRp3beta(x, { alpha: 0.5, beta: 0.5, k: 10 });
    // W_32 = 1^0.5 (1/2)^0.5 / 2^0.5 = 0.5; W_23 = (1/2)^0.5 (1/2)^0.5 / 1^0.5 = 0.5;
    // W_20 = (1/2)^0.5 (1/3)^0.5 / 2^0.5 = 1 / (2 sqrt 3).
    expect(row(m, 3)[2]).toBeCloseTo(0.5, 6);
    const r2 = row(m, 2);
    expect(r2[3]).toBeCloseTo(0.5, 6);
    expect(r2[0]).toBeCloseTo(1 / (2 * Math.sqrt(3)), 6);
  });

  it("keeps the top k of each row and scores users by summing rows", () => {
    const m = fitRp3beta(x, { alpha: 1, beta: 0, k: 1 });
    expect(Object.keys(row(m, 0))).toEqual(["1"]);
    const out = new Float32Array(4);
    // u2 has i2 (top-1 neighbour i3, 1/4) and i3 (top-1 neighbour i2, 1/2).
    m.scoreUser(2, x, out);
    expect(Array.from(out)).toEqual([0, 0, 0.5, 0.25]);
  });
});
