// Content-based ridge regression, the seed formula of the design brief (section 1.7):
//   min_W  L(W) = (1/N) sum_i ||x_i W - y_i||^2 + (lambda/2) ||W||_F^2
// x_i (1 x d) is item i's feature row (e.g. fused embeddings), N the number of items, and y_i
// (1 x users) is item i's column of the user-item matrix R, so W (d x users) maps features to users
// and score(u, i) = x_i W[:, u]. We pick this variant over the item-item one because every item with
// features gets a score, interactions or not (cold start), and because the closed form is linear in
// Y, which gives fold-in for free (below).
// Gradient (matrix calculus, e.g. Petersen & Pedersen, "The Matrix Cookbook", eq. 84 and 103):
//   dL/dW = (2/N) X^T (X W - Y) + lambda W,
// and setting it to zero gives the normal equations  (X^T X / N + (lambda/2) I) W = X^T Y / N,
// solved here with the Cholesky factor of the d x d left side (Golub & Van Loan, "Matrix
// Computations", 4th ed., algorithm 4.2.1 and section 3.1). Column u of W only depends on user u's
// row r_u of R: W[:, u] = A^-1 X^T r_u^T / N, so the closed-form model scores any user from a
// fresher history without refitting.
import { type TCsrMatrix, transposeCsr } from "./csr-matrix.ts";
import { choleskyInPlace, solveCholeskyInPlace } from "./dense-spd-inverse.ts";
import { createRng, shuffleInPlace } from "./prng.ts";
import type { TScorer } from "./recommender-types.ts";

/** Item features, row-major: row i = x_i (same shape as the embedder's matrices). */
export type TItemFeatures = { data: Float32Array; rows: number; dimension: number };

/** The objective's data: features X and the item-major targets Y = R^T (items x users). */
export type TRidgeProblem = { features: TItemFeatures; targets: TCsrMatrix; lambda: number };

export type TRidgeSgdParams = {
  lambda: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Step at epoch t is learningRate / (1 + decay t) (Robbins & Monro 1951 conditions); default 0. */
  decay?: number;
};

export type TContentRidgeModel = TScorer & {
  /** Row-major W, d x users: weights[k * users + u]. */
  weights: Float64Array;
  users: number;
  /** L(W) after each epoch (SGD only; empty for the closed form). */
  lossHistory: number[];
};

/** Builds the problem from the user-item training matrix; features must cover every item. */
export const ridgeProblem = (train: TCsrMatrix, features: TItemFeatures, lambda: number): TRidgeProblem => {
  checkFeatures(train, features);
  return { features, targets: transposeCsr(train), lambda };
};

const checkFeatures = (train: TCsrMatrix, features: TItemFeatures): void => {
  if (features.rows !== train.cols) {
    throw new RangeError(`features have ${features.rows} rows but the matrix has ${train.cols} items`);
  }
  if (features.data.length !== features.rows * features.dimension) {
    throw new RangeError("features.data length is not rows * dimension");
  }
};

/**
 * Adds scale * sum_{i in batch} x_i^T (x_i W - y_i) to `out` (d x users) and returns
 * sum_{i in batch} ||x_i W - y_i||^2. `prediction` is scratch of length users.
 */
const accumulateResiduals = (
  problem: TRidgeProblem,
  weights: Float64Array,
  batch: ArrayLike<number>,
  scale: number,
  out: Float64Array | undefined,
  prediction: Float64Array,
): number => {
  const { data, dimension: d } = problem.features;
  const y = problem.targets;
  const users = y.cols;
  let squared = 0;
  for (let b = 0; b < batch.length; b++) {
    const i = batch[b]!;
    prediction.fill(0);
    for (let k = 0; k < d; k++) {
      const xik = data[i * d + k]!;
      if (xik === 0) continue;
      for (let u = 0; u < users; u++) prediction[u]! += xik * weights[k * users + u]!;
    }
    for (let e = y.indptr[i]!; e < y.indptr[i + 1]!; e++) prediction[y.indices[e]!]! -= y.values[e]!;
    for (let u = 0; u < users; u++) squared += prediction[u]! * prediction[u]!;
    if (!out) continue;
    for (let k = 0; k < d; k++) {
      const s = scale * data[i * d + k]!;
      if (s === 0) continue;
      for (let u = 0; u < users; u++) out[k * users + u]! += s * prediction[u]!;
    }
  }
  return squared;
};

const frobeniusSquared = (w: Float64Array): number => w.reduce((s, v) => s + v * v, 0);

const allItems = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** L(W) of the seed formula. */
export const ridgeObjective = (problem: TRidgeProblem, weights: Float64Array): number => {
  const n = problem.features.rows;
  const scratch = new Float64Array(problem.targets.cols);
  const data = accumulateResiduals(problem, weights, allItems(n), 0, undefined, scratch);
  return data / n + (problem.lambda / 2) * frobeniusSquared(weights);
};

/** dL/dW = (2/N) X^T (X W - Y) + lambda W, written into `out` (d x users). */
export const ridgeGradient = (problem: TRidgeProblem, weights: Float64Array, out: Float64Array): void => {
  const n = problem.features.rows;
  for (let k = 0; k < out.length; k++) out[k] = problem.lambda * weights[k]!;
  accumulateResiduals(problem, weights, allItems(n), 2 / n, out, new Float64Array(problem.targets.cols));
};

/** Scores x_i . w for every item i. */
const scoreItems = (features: TItemFeatures, w: Float64Array, out: Float32Array): void => {
  const { data, dimension: d } = features;
  for (let i = 0; i < features.rows; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += data[i * d + k]! * w[k]!;
    out[i] = s;
  }
};

/** Closed form through the normal equations; scores fold in the user's `history` row. */
export const fitContentRidge = (
  train: TCsrMatrix,
  features: TItemFeatures,
  lambda: number,
): TContentRidgeModel => {
  checkFeatures(train, features);
  const { data, rows: n, dimension: d } = features;
  const a = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const xp = data[i * d + p]! / n;
      for (let q = 0; q <= p; q++) a[p * d + q]! += xp * data[i * d + q]!;
    }
  }
  for (let p = 0; p < d; p++) a[p * d + p]! += lambda / 2;
  choleskyInPlace(a, d);
  const users = train.rows;
  const column = new Float64Array(d);
  // W[:, u] = A^-1 (sum_j r_uj x_j) / N for the user's row r_u of `history`.
  const solveUser = (user: number, history: TCsrMatrix): Float64Array => {
    column.fill(0);
    for (let e = history.indptr[user]!; e < history.indptr[user + 1]!; e++) {
      const j = history.indices[e]!;
      const r = history.values[e]! / n;
      for (let k = 0; k < d; k++) column[k]! += r * data[j * d + k]!;
    }
    solveCholeskyInPlace(a, d, column);
    return column;
  };
  const weights = new Float64Array(d * users);
  for (let u = 0; u < users; u++) {
    const w = solveUser(u, train);
    for (let k = 0; k < d; k++) weights[k * users + u] = w[k]!;
  }
  return {
    itemCount: n,
    users,
    weights,
    lossHistory: [],
    scoreUser: (user, history, out) => scoreItems(features, solveUser(user, history), out),
  };
};

/**
 * Seeded mini-batch SGD on the same objective: each step uses the unbiased batch estimate
 * (2/|B|) sum_{i in B} x_i^T (x_i W - y_i) + lambda W. W starts at zero (the objective is convex, so
 * the start only changes the path). Scores use the learnt columns of W (no fold-in). The trainer runs
 * one epoch per call, so the training job can validate and report the loss curve as it goes.
 */
export const createContentRidgeSgdTrainer = (
  train: TCsrMatrix,
  features: TItemFeatures,
  params: TRidgeSgdParams,
  seed: number,
): { model: TContentRidgeModel; runEpoch: () => number } => {
  const problem = ridgeProblem(train, features, params.lambda);
  const { rows: n, dimension: d } = features;
  const users = train.rows;
  const weights = new Float64Array(d * users);
  const step = new Float64Array(d * users);
  const prediction = new Float64Array(users);
  const order = allItems(n);
  const rng = createRng(seed);
  const lossHistory: number[] = [];
  const column = new Float64Array(d);
  const model: TContentRidgeModel = {
    itemCount: n,
    users,
    weights,
    lossHistory,
    scoreUser(user, _history, out) {
      for (let k = 0; k < d; k++) column[k] = weights[k * users + user]!;
      scoreItems(features, column, out);
    },
  };
  const runEpoch = (): number => {
    const rate = params.learningRate / (1 + (params.decay ?? 0) * lossHistory.length);
    shuffleInPlace(rng, order);
    for (let start = 0; start < n; start += params.batchSize) {
      const batch = order.subarray(start, Math.min(n, start + params.batchSize));
      for (let k = 0; k < step.length; k++) step[k] = params.lambda * weights[k]!;
      accumulateResiduals(problem, weights, batch, 2 / batch.length, step, prediction);
      for (let k = 0; k < step.length; k++) weights[k]! -= rate * step[k]!;
    }
    const loss = ridgeObjective(problem, weights);
    lossHistory.push(loss);
    return loss;
  };
  return { model, runEpoch };
};

/** All epochs of createContentRidgeSgdTrainer at once. */
export const fitContentRidgeSgd = (
  train: TCsrMatrix,
  features: TItemFeatures,
  params: TRidgeSgdParams,
  seed: number,
): TContentRidgeModel => {
  const { model, runEpoch } = createContentRidgeSgdTrainer(train, features, params, seed);
  for (let epoch = 0; epoch < params.epochs; epoch++) runEpoch();
  return model;
};

/**
 * A^-1 for A = X^T X / N + (lambda / 2) I (d x d, row-major): what serving folds a history in with,
 * W[:, u] = A^-1 X^T r_u / N. Solved column by column through the Cholesky factor.
 */
export const ridgeSolveMatrix = (features: TItemFeatures, lambda: number): Float64Array => {
  const { data, rows: n, dimension: d } = features;
  const a = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const xp = data[i * d + p]! / n;
      if (xp === 0) continue;
      for (let q = 0; q <= p; q++) a[p * d + q]! += xp * data[i * d + q]!;
    }
  }
  for (let p = 0; p < d; p++) a[p * d + p]! += lambda / 2;
  choleskyInPlace(a, d);
  const inverse = new Float64Array(d * d);
  const column = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    column.fill(0);
    column[c] = 1;
    solveCholeskyInPlace(a, d, column);
    for (let r = 0; r < d; r++) inverse[r * d + c] = column[r]!;
  }
  return inverse;
};
