import { describe, expect, it } from "vitest";
import {
  clearScratchRow,
  createNeighbourRows,
  createScratchRow,
  endNeighbourRow,
  pushTopKRow,
  toNeighbourMatrix,
} from "./neighbour-rows.ts";

describe("neighbour rows", () => {
  it("keeps each row's k best in item order, ties to the lower item, and clears only the touched slots", () => {
    const scratch = createScratchRow(5);
    const rows = createNeighbourRows(5);
    // Row 0 touches items 4, 1, 3 with scores 0.5, 0.9, 0.5: k = 2 keeps 1 and 3 (3 beats 4 on the tie).
    scratch.touched.set([4, 1, 3]);
    scratch.scores.set([0.9], 1);
    scratch.scores.set([0.5, 0.5], 3);
    scratch.sums[1] = 7;
    scratch.seen[1] = 1;
    pushTopKRow(rows, 0, scratch.scores, 2);
    clearScratchRow(scratch, 3);
    expect(Array.from(scratch.scores)).toEqual(Array(5).fill(Number.NEGATIVE_INFINITY));
    expect(Array.from(scratch.sums)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(scratch.seen)).toEqual([0, 0, 0, 0, 0]);
    // Row 1 is empty; row 2 is pushed by hand.
    pushTopKRow(rows, 1, scratch.scores, 2);
    rows.indices.push(0);
    rows.values.push(0.25);
    endNeighbourRow(rows, 2);
    for (let row = 3; row < 5; row++) endNeighbourRow(rows, row);
    const matrix = toNeighbourMatrix(rows);
    expect(matrix.rows).toBe(5);
    expect(matrix.cols).toBe(5);
    expect(Array.from(matrix.indptr)).toEqual([0, 2, 2, 3, 3, 3]);
    expect(Array.from(matrix.indices)).toEqual([1, 3, 0]);
    expect(Array.from(matrix.values)).toEqual([Math.fround(0.9), 0.5, 0.25]);
  });
});
