import { describe, expect, it } from "vitest";
import {
  fitContentRidge,
  fitContentRidgeSgd,
  ridgeGradient,
  ridgeObjective,
  ridgeProblem,
  type TItemFeatures,
} from "./content-ridge.ts";
import { csrFromCoo, type TCsrMatrix } from "./csr-matrix.ts";
import { evaluateFullRanking } from "./evaluate-ranking.ts";
import { createRng, randomNormal } from "./prng.ts";
import { rankAmongUnseen, twoBlockMatrix } from "./test-fixtures.ts";

const features = (rows: number, dimension: number, values: number[]): TItemFeatures => ({
  data: Float32Array.from(values),
  rows,
  dimension,
});

/** A seeded random problem: Gaussian features, each user likes each item with probability 0.4. */
const randomCase = (items: number, dimension: number, users: number, seed: number) => {
  const rng = createRng(seed);
  const x = features(
    items,
    dimension,
    Array.from({ length: items * dimension }, () => randomNormal(rng)),
  );
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (rng() < 0.4) {
        rows.push(u);
        cols.push(i);
      }
    }
  }
  const train = csrFromCoo({ rows: users, cols: items }, { rows, cols, values: rows.map(() => 1) });
  return { x, train, rng };
};

const relativeError = (a: Float64Array, b: Float64Array): number => {
  let diff = 0;
  let norm = 0;
  a.forEach((v, k) => {
    diff += (v - b[k]!) ** 2;
    norm += b[k]! ** 2;
  });
  return Math.sqrt(diff / norm);
};

describe("content ridge", () => {
  it("solves a hand 2x2 case in closed form", () => {
    // X = [[1,0],[1,1]] (2 items, d = 2), user 0 likes item 0, user 1 item 1, so Y = R^T = I; lambda = 1.
    // A = X^T X / 2 + I / 2 = [[1.5,.5],[.5,1]], det 1.25, A^-1 = [[.8,-.4],[-.4,1.2]];
    // B = X^T Y / 2 = [[.5,.5],[0,.5]]; W = A^-1 B = [[.4,.2],[-.2,.4]].
    const train = csrFromCoo({ rows: 2, cols: 2 }, { rows: [0, 1], cols: [0, 1], values: [1, 1] });
    const model = fitContentRidge(train, features(2, 2, [1, 0, 1, 1]), 1);
    [0.4, 0.2, -0.2, 0.4].forEach((w, k) => {
      expect(model.weights[k]).toBeCloseTo(w, 12);
    });
    const out = new Float32Array(2);
    model.scoreUser(0, train, out); // X W[:, 0] = [.4, .4 - .2]
    expect(out[0]).toBeCloseTo(0.4, 6);
    expect(out[1]).toBeCloseTo(0.2, 6);
  });

  it("has an analytic gradient equal to central finite differences", () => {
    const { x, train, rng } = randomCase(6, 3, 4, 7);
    const problem = ridgeProblem(train, x, 0.3);
    const w = Float64Array.from({ length: 3 * 4 }, () => randomNormal(rng));
    const analytic = new Float64Array(w.length);
    ridgeGradient(problem, w, analytic);
    const numeric = new Float64Array(w.length);
    const h = 1e-5;
    for (let k = 0; k < w.length; k++) {
      const saved = w[k]!;
      w[k] = saved + h;
      const up = ridgeObjective(problem, w);
      w[k] = saved - h;
      const down = ridgeObjective(problem, w);
      w[k] = saved;
      numeric[k] = (up - down) / (2 * h);
    }
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-5);
  });

  it("has a zero gradient at the closed-form W", () => {
    const { x, train } = randomCase(10, 4, 5, 11);
    const model = fitContentRidge(train, x, 0.2);
    const gradient = new Float64Array(model.weights.length);
    ridgeGradient(ridgeProblem(train, x, 0.2), model.weights, gradient);
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-10);
  });

  it("converges with SGD to the closed-form W", () => {
    const { x, train } = randomCase(12, 3, 5, 3);
    const lambda = 0.2;
    const exact = fitContentRidge(train, x, lambda);
    const full = fitContentRidgeSgd(train, x, { lambda, epochs: 400, batchSize: 12, learningRate: 0.1 }, 1);
    expect(relativeError(full.weights, exact.weights)).toBeLessThan(1e-6);
    const mini = fitContentRidgeSgd(
      train,
      x,
      { lambda, epochs: 2000, batchSize: 3, learningRate: 0.05, decay: 0.05 },
      1,
    );
    expect(relativeError(mini.weights, exact.weights)).toBeLessThan(1e-3);
    const best = ridgeObjective(ridgeProblem(train, x, lambda), exact.weights);
    expect(mini.lossHistory).toHaveLength(2000);
    expect(mini.lossHistory[0]!).toBeGreaterThan(mini.lossHistory[1999]!);
    expect(mini.lossHistory[1999]! - best).toBeLessThan(1e-6);
    expect(mini.lossHistory[1999]! - best).toBeGreaterThanOrEqual(0);
  });

  it("is reproducible from its seed", () => {
    const { x, train } = randomCase(8, 3, 4, 5);
    const params = { lambda: 0.1, epochs: 5, batchSize: 2, learningRate: 0.05 };
    const a = fitContentRidgeSgd(train, x, params, 9);
    const b = fitContentRidgeSgd(train, x, params, 9);
    const c = fitContentRidgeSgd(train, x, params, 10);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.weights)).not.toEqual(Array.from(c.weights));
  });

  it("ranks a cold-start item whose features resemble a liked item first", () => {
    // Items 0-2 near direction e0, 3-5 near e1; item 6 has no interactions and almost item 0's features.
    const x = features(
      7,
      3,
      [1, 0, 0.1, 0.9, 0.1, 0, 0.8, 0.2, 0.1, 0, 1, 0.1, 0.1, 0.9, 0, 0.2, 0.8, 0.1, 1, 0.05, 0.1],
    );
    const rows = [0, 1, 1, 2, 2];
    const cols = [0, 3, 4, 1, 5];
    const train = csrFromCoo({ rows: 3, cols: 7 }, { rows, cols, values: rows.map(() => 1) });
    const out = new Float32Array(7);
    for (const model of [
      fitContentRidge(train, x, 0.01),
      fitContentRidgeSgd(train, x, { lambda: 0.01, epochs: 3000, batchSize: 7, learningRate: 0.5 }, 1),
    ]) {
      model.scoreUser(0, train, out);
      expect(rankAmongUnseen(out, train, 0, 6)).toBe(0);
      model.scoreUser(1, train, out); // user 1 likes the e1 items: the cold item is not for them
      expect(rankAmongUnseen(out, train, 1, 6)).toBeGreaterThanOrEqual(2);
    }
  });

  it("folds a fresher history in without refitting", () => {
    const { x, train } = randomCase(9, 3, 4, 13);
    const model = fitContentRidge(train, x, 0.5);
    const fresh: TCsrMatrix = csrFromCoo(
      { rows: 4, cols: 9 },
      { rows: [2, 2], cols: [0, 8], values: [1, 1] },
    );
    const refit = fitContentRidge(fresh, x, 0.5);
    const folded = new Float32Array(9);
    const expected = new Float32Array(9);
    model.scoreUser(2, fresh, folded);
    refit.scoreUser(2, fresh, expected);
    folded.forEach((s, i) => {
      expect(s).toBeCloseTo(expected[i]!, 6);
    });
    // On its own training history the fold-in equals X W[:, u].
    model.scoreUser(1, train, folded);
    for (let i = 0; i < 9; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += x.data[i * 3 + k]! * model.weights[k * 4 + 1]!;
      expect(folded[i]).toBeCloseTo(s, 5);
    }
  });

  it("plugs into full-ranking evaluation", () => {
    // One-hot block features on the two-block fixture: every held-out item is in the user's block.
    const { train, heldOut } = twoBlockMatrix();
    const x = features(10, 2, Array.from({ length: 10 }, (_, i) => (i < 5 ? [1, 0] : [0, 1])).flat());
    const target = csrFromCoo(
      { rows: 12, cols: 10 },
      {
        rows: Array.from({ length: 12 }, (_, u) => u),
        cols: Array.from(heldOut),
        values: new Array(12).fill(1),
      },
    );
    const result = evaluateFullRanking({
      scorer: fitContentRidge(train, x, 0.1),
      history: train,
      exclude: [train],
      target,
      k: 1,
    });
    expect(result.users).toBe(12);
    expect(result.recall).toBe(1);
  });

  it("rejects features that do not cover every item", () => {
    const { train } = twoBlockMatrix();
    expect(() => fitContentRidge(train, features(9, 1, new Array(9).fill(1)), 1)).toThrow(RangeError);
  });
});
