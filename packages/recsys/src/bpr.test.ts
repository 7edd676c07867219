import { describe, expect, it } from "vitest";
import { fitBpr } from "./bpr.ts";
import { rankAmongUnseen, twoBlockMatrix } from "./test-fixtures.ts";

describe("BPR", () => {
  const { train, heldOut } = twoBlockMatrix();
  const params = { factors: 8, learningRate: 0.1, regularization: 0.001, epochs: 200 };

  it("decreases its loss: mean -ln sigma(x_uij) falls well below ln 2", () => {
    const model = fitBpr(train, params, 11);
    const losses = model.lossHistory;
    expect(losses).toHaveLength(200);
    // Small random factors give x ~ 0 at first, so the first epoch is near ln 2 = 0.693.
    expect(losses[0]!).toBeGreaterThan(0.5);
    expect(losses.at(-1)!).toBeLessThan(0.2);
  });

  it("ranks each held-out positive (same block) above the other block's items", () => {
    const model = fitBpr(train, params, 11);
    const scores = new Float32Array(train.cols);
    for (let u = 0; u < train.rows; u++) {
      model.scoreUser(u, train, scores);
      expect(rankAmongUnseen(scores, train, u, heldOut[u]!)).toBe(0);
    }
  });
});
