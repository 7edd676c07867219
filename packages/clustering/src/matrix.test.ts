import { describe, expect, it } from "vitest";
import { createMatrix, getRow, matrixFromRows, pairwiseDistances, selectRows } from "./matrix.ts";

describe("matrix helpers", () => {
  const m = matrixFromRows([
    [0, 0],
    [3, 4],
    [6, 8],
  ]);

  it("stores rows row-major and views them without copying", () => {
    expect(Array.from(m.data)).toEqual([0, 0, 3, 4, 6, 8]);
    const row = getRow(m, 1);
    expect(Array.from(row)).toEqual([3, 4]);
    expect(row.buffer).toBe(m.data.buffer);
  });

  it("computes the symmetric Euclidean distance table (3-4-5 triangles)", () => {
    expect(Array.from(pairwiseDistances(m))).toEqual([0, 5, 10, 5, 0, 5, 10, 5, 0]);
  });

  it("copies selected rows and validates shapes and indices", () => {
    expect(Array.from(selectRows(m, [2, 0]).data)).toEqual([6, 8, 0, 0]);
    expect(() => selectRows(m, [3])).toThrow(RangeError);
    expect(() => createMatrix(2, 2, new Float32Array(3))).toThrow(RangeError);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(RangeError);
  });
});
