import { readFileSync } from "node:fs";
import { createBprTrainer } from "./src/bpr.ts";
import { binarizeCsr } from "./src/csr-matrix.ts";
import { evaluateFullRanking } from "./src/evaluate-ranking.ts";
import { buildInteractionLog, matrixFromLog } from "./src/interaction-log.ts";
import { randomSplitPerUser } from "./src/split-protocols.ts";

const rows = readFileSync("/work/shared/datasets/movielens-100k/u.data", "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => {
    const [u, i, , t] = l.split("\t");
    return { user: u!, item: i!, weight: 1, timestamp: Number(t) };
  });
const log = buildInteractionLog(rows);
const split = randomSplitPerUser(log, 2020);
const train = binarizeCsr(matrixFromLog(log, split.train));
const valid = binarizeCsr(matrixFromLog(log, split.valid));
const test = binarizeCsr(matrixFromLog(log, split.test));
for (const [lr, reg] of [
  [0.05, 0.035],
  [0.05, 0.05],
  [0.025, 0.03],
] as const) {
  const tr = createBprTrainer(train, { factors: 64, learningRate: lr, regularization: reg, epochs: 0 }, 2020);
  for (let e = 1; e <= 90; e++) {
    const loss = tr.runEpoch();
    if (e % 15 !== 0) continue;
    const v = evaluateFullRanking({
      scorer: tr.model,
      history: train,
      exclude: [train],
      target: valid,
      k: 10,
    });
    const t = evaluateFullRanking({
      scorer: tr.model,
      history: train,
      exclude: [train, valid],
      target: test,
      k: 10,
    });
    console.log(lr, reg, e, loss.toFixed(4), v.ndcg.toFixed(4), t.ndcg.toFixed(4));
  }
}
