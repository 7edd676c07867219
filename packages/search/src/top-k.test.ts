import { describe, expect, it } from "vitest";
import { selectTopK } from "./top-k.ts";

describe("selectTopK", () => {
  it("returns the first k of the full sort for every k, ties broken by the order", () => {
    const scores = [5, 1, 5, 3, 9, 0, 3, 5];
    const items = scores.map((_, i) => i);
    const compare = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
    const full = [...items].sort(compare);
    expect(full).toEqual([4, 0, 2, 7, 3, 6, 1, 5]);
    for (let k = 0; k <= items.length + 2; k++)
      expect(selectTopK(items, k, compare)).toEqual(full.slice(0, k));
  });
});
