import { describe, expect, it } from "vitest";
import { addCsr, csrFromCoo, csrHas, csrRow, scoreThroughItemRows, transposeCsr } from "./csr-matrix.ts";
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

  it("scores a user through item-to-item rows: the history-weighted sum of its items' rows", () => {
    // User 0 holds item 0 (weight 2) and item 2 (weight 1); user 1 holds nothing.
    const history = csrFromCoo({ rows: 2, cols: 3 }, { rows: [0, 0], cols: [0, 2], values: [2, 1] });
    // Item 0 -> {1: 0.5, 2: 1}, item 1 -> {0: 7}, item 2 -> {0: 3, 1: 1}.
    const itemToItem = csrFromCoo(
      { rows: 3, cols: 3 },
      { rows: [0, 0, 1, 2, 2], cols: [1, 2, 0, 0, 1], values: [0.5, 1, 7, 3, 1] },
    );
    const out = new Float32Array([9, 9, 9]);
    scoreThroughItemRows(history, 0, itemToItem, out);
    expect(Array.from(out)).toEqual([3, 2, 2]);
    scoreThroughItemRows(history, 1, itemToItem, out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
  });
});
