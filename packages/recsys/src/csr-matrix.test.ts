import { describe, expect, it } from "vitest";
import { addCsr, csrFromCoo, csrHas, csrRow, transposeCsr } from "./csr-matrix.ts";
import { buildInteractionLog, matrixFromLog } from "./interaction-log.ts";

describe("csr matrix", () => {
  // [[0, 2, 0],
  //  [1, 0, 3]]  with the (1, 2) entry given as 1 + 2 (duplicates sum).
  const m = csrFromCoo(
    { rows: 2, cols: 3 },
    { rows: [1, 0, 1, 1], cols: [2, 1, 0, 2], values: [1, 2, 1, 2] },
  );

  it("sorts rows and sums duplicates", () => {
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.values)).toEqual([2, 1, 3]);
    expect(Array.from(csrRow(m, 1).indices)).toEqual([0, 2]);
    expect(csrHas(m, 1, 2)).toBe(true);
    expect(csrHas(m, 0, 2)).toBe(false);
  });

  it("transposes", () => {
    const t = transposeCsr(m);
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.indptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(t.indices)).toEqual([1, 0, 1]);
    expect(Array.from(t.values)).toEqual([1, 2, 3]);
    expect(transposeCsr(t)).toEqual(m);
  });

  it("adds matrices of the same shape", () => {
    const sum = addCsr(m, m);
    expect(Array.from(sum.values)).toEqual([4, 2, 6]);
  });

  it("maps string ids in order of first appearance", () => {
    const log = buildInteractionLog([
      { user: "u9", item: "b", weight: 1 },
      { user: "u1", item: "a", weight: 2 },
      { user: "u9", item: "a", weight: 1, timestamp: 5 },
    ]);
    expect(log.userIds).toEqual(["u9", "u1"]);
    expect(log.itemIds).toEqual(["b", "a"]);
    const x = matrixFromLog(log);
    expect(Array.from(x.indptr)).toEqual([0, 2, 3]);
    expect(Array.from(x.values)).toEqual([1, 1, 2]);
    expect(Array.from(log.timestamps)).toEqual([0, 0, 5]);
  });
});
