import { describe, expect, it } from "vitest";
import { createBprTrainer, fitBpr } from "./bpr.ts";
import { csrFromCoo } from "./csr-matrix.ts";
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

describe("BPR, RecBole's mini-batch Adam path", () => {
  it("takes a first Adam step of exactly lr on every parameter with a gradient, none elsewhere", () => {
    // One user with item 0 of three: the single triple (0, 0, j) has j = 1 or 2; the other item has
    // no gradient. Adam's first step is lr * g / (|g| + eps), i.e. lr in the direction of -g.
    const train = csrFromCoo({ rows: 1, cols: 3 }, { rows: [0], cols: [0], values: [1] });
    const lr = 0.01;
    const t = createBprTrainer(
      train,
      { factors: 4, learningRate: lr, regularization: 0, epochs: 0, optimizer: "adam", batchSize: 8 },
      5,
    );
    const user0 = t.model.userFactors.slice();
    const items0 = t.model.itemFactors.slice();
    t.runEpoch();
    const moved = (before: Float32Array, after: Float32Array, from: number) =>
      Array.from({ length: 4 }, (_, a) => after[from + a]! - before[from + a]!);
    for (const d of moved(user0, t.model.userFactors, 0)) expect(Math.abs(d)).toBeCloseTo(lr, 6);
    for (const d of moved(items0, t.model.itemFactors, 0)) expect(Math.abs(d)).toBeCloseTo(lr, 6);
    const still = [1, 2].filter((j) => moved(items0, t.model.itemFactors, j * 4).every((d) => d === 0));
    expect(still).toHaveLength(1);
    // The positive moves towards the user vector: sign(delta q_0) = sign(p_u).
    moved(items0, t.model.itemFactors, 0).forEach((d, a) => {
      expect(Math.sign(d)).toBe(Math.sign(user0[a]!));
    });
    // Small N(0, 0.1^2) factors give x near 0, so the first loss is near ln 2.
    expect(t.model.lossHistory[0]!).toBeCloseTo(Math.LN2, 1);
  });

  it("initialises like PyTorch's xavier_normal_ (std sqrt(2 / (rows + 1 + factors)))", () => {
    const rows = Array.from({ length: 3000 }, (_, u) => u);
    const train = csrFromCoo(
      { rows: 3000, cols: 2 },
      { rows, cols: rows.map(() => 0), values: rows.map(() => 1) },
    );
    const t = createBprTrainer(
      train,
      { factors: 16, learningRate: 0.001, regularization: 0, epochs: 0, optimizer: "adam", init: "xavier" },
      3,
    );
    const v = t.model.userFactors;
    const std = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / (3001 + 16)), 3);
  });

  it("learns the two-block structure and keeps a frozen snapshot", () => {
    const { train, heldOut } = twoBlockMatrix();
    const t = createBprTrainer(
      train,
      { factors: 8, learningRate: 0.05, regularization: 0, epochs: 0, optimizer: "adam", batchSize: 16 },
      11,
    );
    for (let e = 0; e < 150; e++) t.runEpoch();
    expect(t.model.lossHistory.at(-1)!).toBeLessThan(0.2);
    const frozen = t.snapshot();
    const scores = new Float32Array(train.cols);
    for (let u = 0; u < train.rows; u++) {
      frozen.scoreUser(u, train, scores);
      expect(rankAmongUnseen(scores, train, u, heldOut[u]!)).toBe(0);
    }
    const before = frozen.itemFactors.slice();
    t.runEpoch();
    expect(frozen.itemFactors).toEqual(before);
  });
});
