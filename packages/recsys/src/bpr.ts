// BPR-MF (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009, "BPR: Bayesian Personalized Ranking
// from Implicit Feedback", UAI): maximise sum ln sigma(x_uij) - reg ||Theta||^2 over triples of a user,
// an item they interacted with and one they did not, x_uij = p_u . (q_i - q_j). LearnBPR (their
// Algorithm 1): stochastic gradient ascent on triples drawn by bootstrap, the positive uniformly from
// the observed pairs and the negative uniformly from the user's unobserved items.
import { csrHas, type TCsrMatrix } from "./csr-matrix.ts";
import { createRng, randomIndex, randomNormal } from "./prng.ts";
import type { TScorer } from "./recommender-types.ts";

export type TBprParams = {
  factors: number;
  learningRate: number;
  regularization: number;
  epochs: number;
};

export type TBprModel = TScorer & {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  factors: number;
  /** Mean -ln sigma(x_uij) over each epoch's triples, before their updates. */
  lossHistory: number[];
};

export const createBprTrainer = (train: TCsrMatrix, params: TBprParams, seed: number) => {
  const f = params.factors;
  const rng = createRng(seed);
  // Initial std 0.1, the usual choice for BPR-MF (e.g. MyMediaLite's BPRMF InitStdDev).
  const init = (n: number) => Float32Array.from({ length: n * f }, () => 0.1 * randomNormal(rng));
  const userFactors = init(train.rows);
  const itemFactors = init(train.cols);
  const lossHistory: number[] = [];
  const rowOf = new Int32Array(train.indices.length);
  for (let u = 0; u < train.rows; u++) rowOf.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
  const { learningRate: lr, regularization: reg } = params;

  const runEpoch = (): number => {
    let lossSum = 0;
    const samples = train.indices.length;
    for (let s = 0; s < samples; s++) {
      const e = randomIndex(rng, samples);
      const u = rowOf[e]!;
      const i = train.indices[e]!;
      // A user who has every item has no negative; skip rather than loop forever.
      if (train.indptr[u + 1]! - train.indptr[u]! >= train.cols) continue;
      let j = randomIndex(rng, train.cols);
      while (csrHas(train, u, j)) j = randomIndex(rng, train.cols);
      const uo = u * f;
      const io = i * f;
      const jo = j * f;
      let x = 0;
      for (let a = 0; a < f; a++) x += userFactors[uo + a]! * (itemFactors[io + a]! - itemFactors[jo + a]!);
      // -ln sigma(x) = ln(1 + e^-x), computed stably on both sides of 0.
      lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
      const g = 1 / (1 + Math.exp(x)); // d ln sigma(x) / dx = sigma(-x)
      for (let a = 0; a < f; a++) {
        const pu = userFactors[uo + a]!;
        const qi = itemFactors[io + a]!;
        const qj = itemFactors[jo + a]!;
        userFactors[uo + a] = pu + lr * (g * (qi - qj) - reg * pu);
        itemFactors[io + a] = qi + lr * (g * pu - reg * qi);
        itemFactors[jo + a] = qj + lr * (-g * pu - reg * qj);
      }
    }
    const mean = samples === 0 ? 0 : lossSum / samples;
    lossHistory.push(mean);
    return mean;
  };

  const model: TBprModel = {
    itemCount: train.cols,
    userFactors,
    itemFactors,
    factors: f,
    lossHistory,
    scoreUser(user, _history, out) {
      const uo = user * f;
      for (let i = 0; i < train.cols; i++) {
        let s = 0;
        for (let a = 0; a < f; a++) s += userFactors[uo + a]! * itemFactors[i * f + a]!;
        out[i] = s;
      }
    },
  };
  return { model, runEpoch };
};

export const fitBpr = (train: TCsrMatrix, params: TBprParams, seed: number): TBprModel => {
  const trainer = createBprTrainer(train, params, seed);
  for (let epoch = 0; epoch < params.epochs; epoch++) trainer.runEpoch();
  return trainer.model;
};
