import { describe, expect, it } from "vitest";
import { csrFromCoo, csrRow } from "./csr-matrix.ts";
import { buildInteractionLog } from "./interaction-log.ts";
import { fitSar, timeDecayedAffinity } from "./sar.ts";

// u0: i0 i1 / u1: i0 i1 i2 / u2: i2 i3. Co-occurrences C00 = C11 = C22 = 2, C33 = 1, C01 = 2,
// C02 = C12 = 1, C23 = 1, C03 = C13 = 0.
const x = csrFromCoo(
  { rows: 3, cols: 4 },
  { rows: [0, 0, 1, 1, 1, 2, 2], cols: [0, 1, 0, 1, 2, 2, 3], values: [1, 1, 1, 1, 1, 1, 1] },
);
const row = (m: ReturnType<typeof fitSar>, i: number) => {
  const r = csrRow(m.similarity, i);
  return Object.fromEntries(Array.from(r.indices, (j, t) => [j, r.values[t]!]));
};

describe("SAR", () => {
  it("Jaccard: C_ij / (C_ii + C_jj - C_ij), diagonal 1", () => {
    const m = fitSar(x, { similarity: "jaccard" });
    expect(row(m, 0)).toEqual({ 0: 1, 1: 1, 2: expect.closeTo(1 / 3, 6) });
    expect(row(m, 2)).toEqual({ 0: expect.closeTo(1 / 3, 6), 1: expect.closeTo(1 / 3, 6), 2: 1, 3: 0.5 });
    const out = new Float32Array(4);
    m.scoreUser(2, x, out); // rows 2 + 3
    expect(Array.from(out)).toEqual([expect.closeTo(1 / 3, 6), expect.closeTo(1 / 3, 6), 1.5, 1.5]);
  });

  it("lift, raw counts and the co-occurrence threshold", () => {
    expect(row(fitSar(x, { similarity: "lift" }), 0)).toEqual({ 0: 0.5, 1: 0.5, 2: 0.25 });
    expect(row(fitSar(x, { similarity: "cooccurrence" }), 2)).toEqual({ 0: 1, 1: 1, 2: 2, 3: 1 });
    expect(row(fitSar(x, { similarity: "cooccurrence", threshold: 2 }), 2)).toEqual({ 2: 2 });
  });

  it("time-decayed affinity halves a weight every half-life before now", () => {
    const log = buildInteractionLog([
      { user: "a", item: "p", weight: 2, timestamp: 20 },
      { user: "a", item: "p", weight: 1, timestamp: 30 },
      { user: "a", item: "q", weight: 4, timestamp: 10 },
      { user: "b", item: "q", weight: 1, timestamp: 25 },
    ]);
    // now = 30 (latest selected); half-life 10: p = 2 * 1/2 + 1 = 2, q = 4 * 1/4 = 1.
    const a = timeDecayedAffinity(log, [0, 1, 2], { halfLife: 10 });
    expect(Array.from(csrRow(a, 0).values)).toEqual([2, 1]);
    expect(a.indptr[2]! - a.indptr[1]!).toBe(0);
    const b = timeDecayedAffinity(log, [3], { halfLife: 10, now: 35 });
    expect(Array.from(csrRow(b, 1).values)).toEqual([0.5]);
  });
});
