// BPR-MF (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009, "BPR: Bayesian Personalized Ranking
// from Implicit Feedback", UAI): maximise sum ln sigma(x_uij) - reg ||Theta||^2 over triples of a user,
// an item they interacted with and one they did not, x_uij = p_u . (q_i - q_j). LearnBPR (their
// Algorithm 1): stochastic gradient ascent on triples drawn by bootstrap, the positive uniformly from
// the observed pairs and the negative uniformly from the user's unobserved items.
//
// `optimizer: "adam"` trains the way RecBole's BPR does (recbole/model/general_recommender/bpr.py with
// its trainer defaults): every epoch visits each training pair once in a shuffled order, in mini-batches
// of `batchSize` (2048), each pair with one uniform negative the user has not interacted with; the loss
// is the batch mean of -ln(1e-10 + sigma(x_uij)) with no L2 term, and one Adam step (Kingma & Ba 2015,
// PyTorch's dense update: every embedding row moves each step, by its moments, even when its gradient
// in that batch is zero) follows each batch. `init: "xavier"` draws embeddings from
// N(0, 2 / (rows + factors)), PyTorch's xavier_normal_ on an nn.Embedding weight (rows counted with
// RecBole's padding id 0, one more than the ids in use).
import { csrHas, type TCsrMatrix } from "./csr-matrix.ts";
import { createRng, randomIndex, randomNormal, shuffleInPlace } from "./prng.ts";
import type { TScorer } from "./recommender-types.ts";

export type TBprParams = {
  factors: number;
  learningRate: number;
  /** L2 weight of the SGD updates; the Adam path (RecBole's BPR) has no L2 term unless this is > 0. */
  regularization: number;
  epochs: number;
  /** "sgd" (default): LearnBPR with bootstrap sampling; "adam": RecBole's mini-batch training. */
  optimizer?: "sgd" | "adam";
  /** Mini-batch size of the Adam path (RecBole's train_batch_size, 2048). */
  batchSize?: number;
  /** "normal" (default): N(0, 0.1^2); "xavier": PyTorch xavier_normal_ as RecBole initialises. */
  init?: "normal" | "xavier";
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
  // Initial std 0.1, the usual choice for BPR-MF (e.g. MyMediaLite's BPRMF InitStdDev), or Xavier.
  const std = (n: number) => (params.init === "xavier" ? Math.sqrt(2 / (n + 1 + f)) : 0.1);
  const init = (n: number) => {
    const s = std(n);
    return Float32Array.from({ length: n * f }, () => s * randomNormal(rng));
  };
  const userFactors = init(train.rows);
  const itemFactors = init(train.cols);
  const lossHistory: number[] = [];
  const rowOf = new Int32Array(train.indices.length);
  for (let u = 0; u < train.rows; u++) rowOf.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
  const { learningRate: lr, regularization: reg } = params;

  const sampleNegative = (u: number): number => {
    let j = randomIndex(rng, train.cols);
    while (csrHas(train, u, j)) j = randomIndex(rng, train.cols);
    return j;
  };

  const runSgdEpoch = (): number => {
    let lossSum = 0;
    const samples = train.indices.length;
    for (let s = 0; s < samples; s++) {
      const e = randomIndex(rng, samples);
      const u = rowOf[e]!;
      const i = train.indices[e]!;
      // A user who has every item has no negative; skip rather than loop forever.
      if (train.indptr[u + 1]! - train.indptr[u]! >= train.cols) continue;
      const j = sampleNegative(u);
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

  // Adam state over both embedding tables (dense, as torch.optim.Adam keeps it).
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const batchSize = params.batchSize ?? 2048;
  let adamStep = 0;
  const adam = [userFactors, itemFactors].map((weights) => ({
    weights,
    grad: new Float32Array(weights.length),
    m: new Float32Array(weights.length),
    v: new Float32Array(weights.length),
  }));
  const [userState, itemState] = adam as [(typeof adam)[0], (typeof adam)[0]];
  const order = Int32Array.from({ length: train.indices.length }, (_, k) => k);

  const runAdamEpoch = (): number => {
    const samples = order.length;
    shuffleInPlace(rng, order);
    let lossSum = 0;
    let counted = 0;
    const gu = userState.grad;
    const gi = itemState.grad;
    for (let start = 0; start < samples; start += batchSize) {
      const end = Math.min(start + batchSize, samples);
      const scale = 1 / (end - start);
      gu.fill(0);
      gi.fill(0);
      for (let s = start; s < end; s++) {
        const e = order[s]!;
        const u = rowOf[e]!;
        if (train.indptr[u + 1]! - train.indptr[u]! >= train.cols) continue;
        const i = train.indices[e]!;
        const j = sampleNegative(u);
        const uo = u * f;
        const io = i * f;
        const jo = j * f;
        let x = 0;
        for (let a = 0; a < f; a++) x += userFactors[uo + a]! * (itemFactors[io + a]! - itemFactors[jo + a]!);
        const sig = 1 / (1 + Math.exp(-x));
        lossSum += -Math.log(1e-10 + sig);
        counted++;
        // d/dx of -ln(gamma + sigma(x)) = -sigma(x) sigma(-x) / (gamma + sigma(x)); averaged over the batch.
        const g = ((-sig * (1 - sig)) / (1e-10 + sig)) * scale;
        for (let a = 0; a < f; a++) {
          const pu = userFactors[uo + a]!;
          gu[uo + a]! += g * (itemFactors[io + a]! - itemFactors[jo + a]!);
          gi[io + a]! += g * pu;
          gi[jo + a]! -= g * pu;
        }
      }
      adamStep++;
      const bc1 = 1 - beta1 ** adamStep;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** adamStep);
      const stepSize = lr / bc1;
      for (const { weights, grad, m, v } of adam) {
        for (let k = 0; k < weights.length; k++) {
          const g = grad[k]! + reg * weights[k]!;
          const mk = beta1 * m[k]! + (1 - beta1) * g;
          const vk = beta2 * v[k]! + (1 - beta2) * g * g;
          m[k] = mk;
          v[k] = vk;
          weights[k]! -= (stepSize * mk) / (Math.sqrt(vk) / bc2Sqrt + epsilon);
        }
      }
    }
    const mean = counted === 0 ? 0 : lossSum / counted;
    lossHistory.push(mean);
    return mean;
  };

  const runEpoch = params.optimizer === "adam" ? runAdamEpoch : runSgdEpoch;

  const model = factorModel(train.cols, f, userFactors, itemFactors, lossHistory);
  /** A frozen copy of the current factors (the best epoch, for early stopping). */
  const snapshot = (): TBprModel =>
    factorModel(train.cols, f, userFactors.slice(), itemFactors.slice(), lossHistory.slice());
  return { model, runEpoch, snapshot };
};

const factorModel = (
  itemCount: number,
  f: number,
  userFactors: Float32Array,
  itemFactors: Float32Array,
  lossHistory: number[],
): TBprModel => ({
  itemCount,
  userFactors,
  itemFactors,
  factors: f,
  lossHistory,
  scoreUser(user, _history, out) {
    const uo = user * f;
    for (let i = 0, io = 0; i < itemCount; i++, io += f) {
      let s = 0;
      for (let a = 0; a < f; a++) s += userFactors[uo + a]! * itemFactors[io + a]!;
      out[i] = s;
    }
  },
});

export const fitBpr = (train: TCsrMatrix, params: TBprParams, seed: number): TBprModel => {
  const trainer = createBprTrainer(train, params, seed);
  for (let epoch = 0; epoch < params.epochs; epoch++) trainer.runEpoch();
  return trainer.model;
};
