import { describe, expect, it } from "vitest";
import { fitAls } from "./implicit-als.ts";
import { rankAmongUnseen, twoBlockMatrix } from "./test-fixtures.ts";

describe("implicit ALS", () => {
  const { train, heldOut } = twoBlockMatrix();
  const params = { factors: 2, regularization: 0.01, alpha: 10, iterations: 15 };

  it("recovers an exact rank-2 pattern: each held-out positive ranks first among unseen items", () => {
    const model = fitAls(train, params, 1);
    const scores = new Float32Array(train.cols);
    for (let u = 0; u < train.rows; u++) {
      model.scoreUser(u, train, scores);
      expect(rankAmongUnseen(scores, train, u, heldOut[u]!)).toBe(0);
    }
  });

  it("lowers the objective (Hu et al. eq. 3) from the first iteration to the last", () => {
    const model = fitAls(train, params, 1);
    const losses = model.lossHistory;
    expect(losses).toHaveLength(15);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it("is deterministic for a seed", () => {
    const a = fitAls(train, { ...params, iterations: 3 }, 5);
    const b = fitAls(train, { ...params, iterations: 3 }, 5);
    const c = fitAls(train, { ...params, iterations: 3 }, 6);
    expect(a.itemFactors).toEqual(b.itemFactors);
    expect(a.itemFactors).not.toEqual(c.itemFactors);
  });
});
