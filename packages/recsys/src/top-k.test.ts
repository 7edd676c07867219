import { describe, expect, it } from "vitest";
import { createRng } from "./prng.ts";
import { selectTopK } from "./top-k.ts";

describe("selectTopK", () => {
  it("returns the K best, best first, ties to the lower index, never -Infinity", () => {
    const scores = Float32Array.from([0.5, 2, Number.NEGATIVE_INFINITY, 2, -1, 3]);
    expect(Array.from(selectTopK(scores, 3))).toEqual([5, 1, 3]);
    expect(Array.from(selectTopK(scores, 10))).toEqual([5, 1, 3, 0, 4]);
  });

  it("agrees with a full sort on random scores", () => {
    const rng = createRng(7);
    const scores = Float32Array.from({ length: 1000 }, () => Math.round(rng() * 100));
    const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    expect(Array.from(selectTopK(scores, 25))).toEqual(sorted.slice(0, 25));
  });
});
