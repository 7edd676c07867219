// Implicit-feedback ALS (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback
// Datasets", ICDM): preference p_ui = 1 where r_ui > 0, confidence c_ui = 1 + alpha * r_ui (their
// eq. 1 and the linear confidence of section 4), minimising
//   sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + lambda (sum ||x_u||^2 + sum ||y_i||^2)   (eq. 3).
// Each user's normal equations (Y^T Y + Y^T (C^u - I) Y + lambda I) x_u = Y^T C^u p(u) are solved
// approximately by a few conjugate-gradient steps warm-started from the previous x_u (Takacs, Pilaszy
// & Tikk 2011, "Applications of the conjugate gradient method for implicit feedback collaborative
// filtering", RecSys), which costs O(|I_u| f) per step instead of O(f^3) for a direct solve.
import { type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import { createRng, randomNormal } from "./prng.ts";
import type { TScorer } from "./recommender-types.ts";

export type TAlsParams = {
  factors: number;
  regularization: number;
  alpha: number;
  iterations: number;
  /** CG steps per solve; Takacs et al. report 3 as enough with warm starts. */
  cgSteps?: number;
};

export type TAlsModel = TScorer & {
  userFactors: Float64Array;
  itemFactors: Float64Array;
  factors: number;
  /** Objective (eq. 3) after each iteration. */
  lossHistory: number[];
};

/** Sweeps and the objective of both halves; `runIteration` updates users then items. */
export const createAlsTrainer = (train: TCsrMatrix, params: TAlsParams, seed: number) => {
  const f = params.factors;
  const rng = createRng(seed);
  // Small random start (std 0.01) so no two factors begin identical.
  const init = (n: number) => Float64Array.from({ length: n * f }, () => 0.01 * randomNormal(rng));
  const userFactors = init(train.rows);
  const itemFactors = init(train.cols);
  const byItem = transposeCsr(train);
  const lossHistory: number[] = [];
  const steps = params.cgSteps ?? 3;
  const gram = new Float64Array(f * f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);

  /** Solves for every row of `solved` against the fixed factors `fixed`, through `m`'s rows. */
  const sweep = (m: TCsrMatrix, solved: Float64Array, fixed: Float64Array, fixedCount: number) => {
    computeGram(fixed, fixedCount, f, gram);
    for (let row = 0; row < m.rows; row++) {
      const x = solved.subarray(row * f, row * f + f);
      const start = m.indptr[row]!;
      const end = m.indptr[row + 1]!;
      // A v = G v + sum_i (c_i - 1)(y_i . v) y_i + lambda v
      const multiply = (v: Float64Array, out: Float64Array) => {
        for (let a = 0; a < f; a++) out[a] = dot(gram, a * f, v, 0, f) + params.regularization * v[a]!;
        for (let e = start; e < end; e++) {
          const yo = m.indices[e]! * f;
          const w = params.alpha * m.values[e]! * dot(fixed, yo, v, 0, f);
          for (let a = 0; a < f; a++) out[a]! += w * fixed[yo + a]!;
        }
      };
      // r = b - A x with b = sum_i c_i y_i (p_i = 1 on observed entries).
      multiply(x, ap);
      for (let a = 0; a < f; a++) r[a] = -ap[a]!;
      for (let e = start; e < end; e++) {
        const yo = m.indices[e]! * f;
        const c = 1 + params.alpha * m.values[e]!;
        for (let a = 0; a < f; a++) r[a]! += c * fixed[yo + a]!;
      }
      p.set(r);
      let rsOld = dot(r, 0, r, 0, f);
      for (let step = 0; step < steps && rsOld > 1e-20; step++) {
        multiply(p, ap);
        const stepSize = rsOld / dot(p, 0, ap, 0, f);
        for (let a = 0; a < f; a++) {
          x[a]! += stepSize * p[a]!;
          r[a]! -= stepSize * ap[a]!;
        }
        const rsNew = dot(r, 0, r, 0, f);
        for (let a = 0; a < f; a++) p[a] = r[a]! + (rsNew / rsOld) * p[a]!;
        rsOld = rsNew;
      }
    }
  };

  /**
   * Eq. 3 without touching the zeros one by one: sum over all items of (x_u . y_i)^2 is
   * x_u^T (Y^T Y) x_u, and each observed entry swaps its s^2 for c (1 - s)^2.
   */
  const loss = (): number => {
    computeGram(itemFactors, train.cols, f, gram);
    let total = 0;
    const gx = new Float64Array(f);
    for (let u = 0; u < train.rows; u++) {
      const xo = u * f;
      for (let a = 0; a < f; a++) gx[a] = dot(gram, a * f, userFactors, xo, f);
      total += dot(userFactors, xo, gx, 0, f);
      for (let e = train.indptr[u]!; e < train.indptr[u + 1]!; e++) {
        const s = dot(userFactors, xo, itemFactors, train.indices[e]! * f, f);
        const c = 1 + params.alpha * train.values[e]!;
        total += c * (1 - s) ** 2 - s * s;
      }
    }
    const norm = (v: Float64Array) => dot(v, 0, v, 0, v.length);
    return total + params.regularization * (norm(userFactors) + norm(itemFactors));
  };

  const model: TAlsModel = {
    itemCount: train.cols,
    userFactors,
    itemFactors,
    factors: f,
    lossHistory,
    scoreUser(user, _history, out) {
      for (let i = 0; i < train.cols; i++) out[i] = dot(userFactors, user * f, itemFactors, i * f, f);
    },
  };
  return {
    model,
    runIteration(): number {
      sweep(train, userFactors, itemFactors, train.cols);
      sweep(byItem, itemFactors, userFactors, train.rows);
      const value = loss();
      lossHistory.push(value);
      return value;
    },
  };
};

export const fitAls = (train: TCsrMatrix, params: TAlsParams, seed: number): TAlsModel => {
  const trainer = createAlsTrainer(train, params, seed);
  for (let it = 0; it < params.iterations; it++) trainer.runIteration();
  return trainer.model;
};

const dot = (a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number => {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[ao + k]! * b[bo + k]!;
  return s;
};

/** out = V^T V for the `count` rows of V (row-major, f columns). */
const computeGram = (v: Float64Array, count: number, f: number, out: Float64Array) => {
  out.fill(0);
  for (let row = 0; row < count; row++) {
    const o = row * f;
    for (let a = 0; a < f; a++) {
      const va = v[o + a]!;
      if (va === 0) continue;
      for (let b = 0; b < f; b++) out[a * f + b]! += va * v[o + b]!;
    }
  }
};
