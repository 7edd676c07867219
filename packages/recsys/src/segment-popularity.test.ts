import { describe, expect, it } from "vitest";
import { csrFromCoo } from "./csr-matrix.ts";
import { countSegmentPopularity } from "./segment-popularity.ts";

// 5 users x 4 items. Segment 0 = users 0, 1; segment 1 = users 2, 3; user 4 is noise (-1).
//   user 0: items 0, 1      user 2: items 2, 3     user 4: items 0, 1, 2, 3
//   user 1: items 1, 3      user 3: items 3
// By hand: segment 0 counts item0 1, item1 2, item3 1 -> [1, 0, 3] (tie 0 vs 3 goes to the lower index);
//          segment 1 counts item2 1, item3 2 -> [3, 2].
const matrix = () =>
  csrFromCoo(
    { rows: 5, cols: 4 },
    {
      rows: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 4, 4, 4, 4]),
      cols: Int32Array.from([0, 1, 1, 3, 2, 3, 3, 0, 1, 2, 3]),
      values: Float32Array.from([5, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1]),
    },
  );

describe("countSegmentPopularity", () => {
  it("counts distinct members per item within each segment, best first, padded with -1", () => {
    const top = countSegmentPopularity(matrix(), Int32Array.from([0, 0, 1, 1, -1]), 2, 3);
    expect(top.k).toBe(3);
    expect(Array.from(top.items)).toEqual([1, 0, 3, 3, 2, -1]);
    expect(Array.from(top.counts)).toEqual([2, 1, 1, 2, 1, 0]);
  });

  it("ignores the interaction weights, as overall popularity does", () => {
    // User 0's item 0 weighs 5 (a purchase), item 1 weighs 1: each still counts once.
    const top = countSegmentPopularity(matrix(), Int32Array.from([0, -1, -1, -1, -1]), 1, 2);
    expect(Array.from(top.items)).toEqual([0, 1]);
    expect(Array.from(top.counts)).toEqual([1, 1]);
  });

  it("keeps at most k items and never more than the catalogue", () => {
    const narrow = countSegmentPopularity(matrix(), Int32Array.from([0, 0, 0, 0, 0]), 1, 1);
    expect(Array.from(narrow.items)).toEqual([3]);
    expect(Array.from(narrow.counts)).toEqual([4]);
    const wide = countSegmentPopularity(matrix(), Int32Array.from([0, 0, 0, 0, 0]), 1, 10);
    expect(wide.k).toBe(4);
    expect(Array.from(wide.items)).toEqual([3, 1, 0, 2]);
    expect(Array.from(wide.counts)).toEqual([4, 3, 2, 2]);
  });

  it("gives an empty (all padding) row to a segment without training interactions", () => {
    const top = countSegmentPopularity(matrix(), Int32Array.from([0, 0, 0, 0, 0]), 2, 2);
    expect(Array.from(top.items.subarray(2))).toEqual([-1, -1]);
    expect(Array.from(top.counts.subarray(2))).toEqual([0, 0]);
  });

  it("refuses a membership vector of the wrong length or an out-of-range segment", () => {
    expect(() => countSegmentPopularity(matrix(), Int32Array.from([0, 0]), 1, 2)).toThrow(
      /2 entries for 5 users/,
    );
    expect(() => countSegmentPopularity(matrix(), Int32Array.from([0, 0, 2, 0, 0]), 2, 2)).toThrow(
      /segment 2, outside 0..1/,
    );
  });
});
