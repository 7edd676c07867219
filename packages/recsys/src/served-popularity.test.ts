import { describe, expect, it } from "vitest";
import { csrFromCoo } from "./csr-matrix.ts";
import { fitServedPopularity } from "./served-popularity.ts";
import { selectTopK } from "./top-k.ts";

// 4 users x 4 items. Users 0 and 1 (segment 0) like item 3; users 2 and 3 (no segment / segment 1)
// make items 0 and 1 the most popular overall.
const train = csrFromCoo(
  { rows: 4, cols: 4 },
  {
    rows: Int32Array.from([0, 1, 2, 2, 3, 3, 0]),
    cols: Int32Array.from([3, 3, 0, 1, 0, 1, 0]),
    values: Float32Array.from([1, 1, 1, 1, 1, 1, 1]),
  },
);

describe("fitServedPopularity", () => {
  it("ranks a member's segment list first, then overall popularity; non-members get overall popularity", () => {
    const scorer = fitServedPopularity(train, Int32Array.from([0, 0, -1, 1]), 2, 10);
    const out = new Float32Array(4);
    scorer.scoreUser(1, train, out);
    // Segment 0: item 3 (2 members), item 0 (1 member); then item 1 by overall popularity.
    expect(Array.from(selectTopK(out, 4))).toEqual([3, 0, 1, 2]);
    scorer.scoreUser(2, train, out);
    // Overall: item 0 (3 users), item 1 (2), item 3 (2), item 2 (0); ties to the lower index.
    expect(Array.from(selectTopK(out, 4))).toEqual([0, 1, 3, 2]);
  });

  it("is overall popularity without segments", () => {
    const scorer = fitServedPopularity(train, new Int32Array(4).fill(-1), 0, 10);
    const out = new Float32Array(4);
    scorer.scoreUser(0, train, out);
    expect(Array.from(selectTopK(out, 2))).toEqual([0, 1]);
  });
});
