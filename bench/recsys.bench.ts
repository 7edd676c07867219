// Offline recommender evaluation on the public data sets in ../shared/datasets (each skipped with a
// message when missing): every algorithm of @dam/recsys on every (data set, protocol) case,
// hyper-parameters chosen on a validation split, metrics @10 reported on the test split, beside the
// published numbers measured the same way:
// - movielens-100k, RecBole's documented quick start (every rating an interaction, random 8:1:1 per
//   user, full ranking, training items excluded; at test time validation items are excluded too, as
//   RecBole's full-sort evaluation masks them): RecBole BPR test NDCG@10 0.292, Recall@10 0.2523,
//   MRR@10 0.4855 (docs, quick start output). RecBole's figure is one run (seed 2020); ours for BPR,
//   EASE, EDLAE and EDLAE-norm are also run with seeds 2021-2024 (new splits, new initialisations),
//   and the goals read their mean over the five.
// - movielens-100k, Microsoft Recommenders' benchmark (python_stratified_split 75/25 per user, all
//   ratings relevant, top-10 over items unseen in train, binary-relevance NDCG averaged over users):
//   BiVAE 0.475, BPR 0.442, SAR 0.382. Hyper-parameters are chosen on 10% of each user's training
//   interactions held out, then every model is refitted on the whole 75%.
// - ml-latest-small with RecBole's protocol; uci-online-retail with a global time split (purchases,
//   cancellations removed, the last 30 days test, the 30 before validate), every model against
//   popularity.
// Baseline (measured in this run): popularity's test NDCG@10 on the first case run.
//
// A subset: `npm run bench -- recsys --dataset movielens-100k --protocol recbole --algo BPR,EASE`
// (comma lists; Popularity always runs, it is every case's baseline).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { createBprTrainer } from "@dam/recsys/bpr";
import { addCsr, binarizeCsr, type TCsrMatrix } from "@dam/recsys/csr-matrix";
import { easeGram, fitEase, type TEaseGram, withPopularityExponent } from "@dam/recsys/ease";
import { evaluateFullRanking, type TEvaluation } from "@dam/recsys/evaluate-ranking";
import { fitHybrid } from "@dam/recsys/hybrid-blend";
import { createAlsTrainer } from "@dam/recsys/implicit-als";
import {
  buildInteractionLog,
  matrixFromLog,
  type TInteraction,
  type TInteractionLog,
} from "@dam/recsys/interaction-log";
import { fitItemKnn } from "@dam/recsys/item-knn";
import { fitPopularity } from "@dam/recsys/popularity";
import type { TScorer } from "@dam/recsys/recommender-types";
import { fitRp3beta } from "@dam/recsys/rp3beta";
import { fitSar, timeDecayedAffinity } from "@dam/recsys/sar";
import {
  globalTimeSplit,
  holdoutWithinTrain,
  randomSplitPerUser,
  stratifiedSplitPerUser,
  type TSplit,
} from "@dam/recsys/split-protocols";
import { BENCH_DIR, machineInfo, type TBenchResult, type TBenchRow } from "./bench-result.ts";
import { csvFields } from "./csv-line.ts";
import { contentRows } from "./recsys-content.ts";

const DATASETS = path.resolve(BENCH_DIR, "../../shared/datasets");
const K = 10;
// RecBole's default `seed` (recbole/properties/overall.yaml), for its split and every fit.
const SEED = 2020;
// Microsoft Recommenders' benchmark notebook seed.
const MSR_SEED = 42;
const DAY = 86_400;
const GOAL_RECBOLE_BEST = 0.33;
const GOAL_MSR_BEST = 0.48;

const log = (line: string) => process.stderr.write(`[bench recsys] ${line}\n`);

type TParams = Record<string, number>;

/** Published numbers, copied from where they were published (never measured here). */
type TAnchor = { source: string; algorithm: string; metrics: Record<string, number> };

type TCase = {
  dataset: string;
  /** Seed of the split and of every fit's initialisation. */
  seed: number;
  /** "recbole", "msr" or "time": the --protocol filter. */
  kind: string;
  log: TInteractionLog;
  /** The protocol's own split (test reported on it). */
  split: TSplit;
  /** Model selection: fit on selectTrain, score selectValid (excluding selectTrain). */
  selectTrain: TCsrMatrix;
  selectValid: TCsrMatrix;
  selectTrainPositions: Int32Array;
  /** Final fit: `refit` = true refits on the protocol's train with the chosen parameters. */
  refit: boolean;
  train: TCsrMatrix;
  trainPositions: Int32Array;
  /** Items excluded at test time and the targets. */
  testExclude: TCsrMatrix[];
  test: TCsrMatrix;
  requireHistory: boolean;
  easeMaxItems?: number;
  easeLambdas: number[];
  /** BPR early stopping: evaluate every `bprEvery` epochs, stop after `bprPatience` evaluations without gain. */
  bprEvery: number;
  bprPatience: number;
  bprMaxEpochs: number;
  anchors: TAnchor[];
  /** Extra rows with the RecBole-protocol EASE refitted on train + valid. */
  refitVariant: boolean;
  /** Algorithms not run on this case, with the reason (logged). */
  skip?: Record<string, string>;
};

type TCandidate = {
  params: TParams;
  scorer: TScorer;
  seconds: number;
  validNdcg: number;
  /** The history the model reads at test time (default: the case's train). */
  history?: TCsrMatrix;
  note?: string;
};

// --- loaders (I/O lives here; the package stays pure) ---

const readLines = (file: string): string[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.length > 0);

/** Ratings as weights (SAR's affinity reads them); the other models binarise. */
const loadMovielens100k = (): TInteraction[] | undefined => {
  const file = path.join(DATASETS, "movielens-100k/u.data");
  if (!existsSync(file)) return undefined;
  return readLines(file).map((line) => {
    const [user, item, rating, ts] = line.split("\t");
    return { user: user!, item: item!, weight: Number(rating), timestamp: Number(ts) };
  });
};

const loadMlLatestSmall = (): TInteraction[] | undefined => {
  const file = path.join(DATASETS, "ml-latest-small/ratings.csv");
  if (!existsSync(file)) return undefined;
  return readLines(file)
    .slice(1)
    .map((line) => {
      const [user, item, rating, ts] = line.split(",");
      return { user: user!, item: item!, weight: Number(rating), timestamp: Number(ts) };
    });
};

const UCI_PARTS = [
  "online_retail_2010-12_to_2011-05.csv.gz",
  "online_retail_2011-06_to_2011-09.csv.gz",
  "online_retail_2011-10_to_2011-12.csv.gz",
];
// Product codes are 5 digits with an optional letter suffix; POST, D, M, DOT, BANK CHARGES... are not.
const PRODUCT_CODE = /^\d{5}[A-Z]*$/i;

/** Purchases only: cancellations (InvoiceNo "C...") and lines without a customer or quantity dropped. */
const loadUciRetail = (): TInteraction[] | undefined => {
  const files = UCI_PARTS.map((name) => path.join(DATASETS, "uci-online-retail", name));
  if (!files.every(existsSync)) return undefined;
  const out: TInteraction[] = [];
  for (const file of files) {
    const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
    for (const line of lines.slice(1)) {
      if (line.length === 0) continue;
      const [invoice, code, , quantity, date, , customer] = csvFields(line);
      if (!invoice || invoice.startsWith("C") || !customer || !code || !PRODUCT_CODE.test(code)) continue;
      if (!(Number(quantity) > 0)) continue;
      out.push({
        user: customer,
        item: code.toUpperCase(),
        weight: 1,
        timestamp: Date.parse(`${date}Z`) / 1000,
      });
    }
  }
  return out;
};

// --- cases ---

// Implicit feedback: an interaction is a 1 however often it was repeated or rated.
const matrixOf = (l: TInteractionLog, select: Int32Array) => binarizeCsr(matrixFromLog(l, select));

type TCaseOptions = Pick<
  TCase,
  | "seed"
  | "requireHistory"
  | "easeMaxItems"
  | "easeLambdas"
  | "bprEvery"
  | "bprPatience"
  | "bprMaxEpochs"
  | "anchors"
  | "refitVariant"
  | "skip"
>;

/** A protocol with its own validation part: select and test on the same model (RecBole, time split). */
const withValidation = (
  dataset: string,
  kind: string,
  l: TInteractionLog,
  split: TSplit,
  options: TCaseOptions,
): TCase => {
  const train = matrixOf(l, split.train);
  const valid = matrixOf(l, split.valid);
  return {
    dataset,
    kind,
    log: l,
    split,
    selectTrain: train,
    selectValid: valid,
    selectTrainPositions: split.train,
    refit: false,
    train,
    trainPositions: split.train,
    testExclude: [train, valid],
    test: matrixOf(l, split.test),
    ...options,
  };
};

/** Microsoft's protocol: no validation split, so select on a holdout within train, then refit. */
const msrCase = (dataset: string, l: TInteractionLog, options: TCaseOptions): TCase => {
  const split = stratifiedSplitPerUser(l, MSR_SEED);
  const inner = holdoutWithinTrain(l, split, MSR_SEED, 0.1);
  const train = matrixOf(l, split.train);
  return {
    dataset,
    kind: "msr",
    log: l,
    split,
    selectTrain: matrixOf(l, inner.train),
    selectValid: matrixOf(l, inner.valid),
    selectTrainPositions: inner.train,
    refit: true,
    train,
    trainPositions: split.train,
    testExclude: [train],
    test: matrixOf(l, split.test),
    ...options,
  };
};

const describeCase = (c: TCase) =>
  log(
    `${c.dataset} ${c.split.protocol}: ${c.log.userIds.length} users, ${c.log.itemIds.length} items, ` +
      `train/valid/test ${c.split.train.length}/${c.split.valid.length}/${c.split.test.length}`,
  );

// --- evaluation and model selection ---

const evaluateValid = (c: TCase, scorer: TScorer, history = c.selectTrain): TEvaluation =>
  evaluateFullRanking({
    scorer,
    history,
    exclude: [c.selectTrain],
    target: c.selectValid,
    k: K,
    requireHistory: c.requireHistory,
  });

const evaluateTest = (c: TCase, candidate: TCandidate): TEvaluation =>
  evaluateFullRanking({
    scorer: candidate.scorer,
    history: candidate.history ?? c.train,
    exclude: c.testExclude,
    target: c.test,
    k: K,
    requireHistory: c.requireHistory,
  });

const timed = <T>(work: () => T): { value: T; seconds: number } => {
  const started = performance.now();
  const value = work();
  return { value, seconds: (performance.now() - started) / 1000 };
};

const grid = (axes: Record<string, number[]>): TParams[] =>
  Object.entries(axes).reduce<TParams[]>(
    (acc, [key, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [key]: v }))),
    [{}],
  );

/**
 * Fits every grid point on the selection train, keeps the best validation NDCG@10; for refit
 * protocols fits that point again on the whole train (the timed fit).
 */
const selectGrid = (
  c: TCase,
  name: string,
  points: TParams[],
  fitModel: (train: TCsrMatrix, p: TParams) => TScorer,
): TCandidate => {
  let best: TCandidate | undefined;
  for (const params of points) {
    const { value: scorer, seconds } = timed(() => fitModel(c.selectTrain, params));
    const validNdcg = evaluateValid(c, scorer).ndcg;
    log(
      `  ${name} ${JSON.stringify(params)} valid ndcg@10 ${validNdcg.toFixed(4)} (${seconds.toFixed(1)} s)`,
    );
    if (!best || validNdcg > best.validNdcg) best = { params, scorer, seconds, validNdcg };
  }
  const chosen = best!;
  if (!c.refit) return chosen;
  const { value: scorer, seconds } = timed(() => fitModel(c.train, chosen.params));
  return { ...chosen, scorer, seconds };
};

/**
 * Iterative models with a fixed-length schedule (ALS): train up to `maxEpochs`, evaluate every
 * `every`, keep the best epoch count; the reported model is refitted to that count with the same seed
 * (on the whole train for refit protocols).
 */
const selectEpochs = (
  c: TCase,
  name: string,
  points: TParams[],
  maxEpochs: number,
  every: number,
  trainer: (train: TCsrMatrix, p: TParams) => { scorer: TScorer; step: () => void },
): TCandidate => {
  let best: { params: TParams; validNdcg: number } | undefined;
  for (const params of points) {
    const t = trainer(c.selectTrain, params);
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      t.step();
      if (epoch % every !== 0) continue;
      const validNdcg = evaluateValid(c, t.scorer).ndcg;
      if (!best || validNdcg > best.validNdcg) best = { params: { ...params, epochs: epoch }, validNdcg };
    }
    log(`  ${name} ${JSON.stringify(params)} best so far ${JSON.stringify(best)}`);
  }
  const chosen = best!;
  const { value: scorer, seconds } = timed(() => {
    const t = trainer(c.refit ? c.train : c.selectTrain, chosen.params);
    for (let epoch = 0; epoch < chosen.params.epochs!; epoch++) t.step();
    return t.scorer;
  });
  return { params: chosen.params, scorer, seconds, validNdcg: chosen.validNdcg };
};

/**
 * BPR as RecBole trains it (embedding 64, Adam lr 0.001, batch 2048, one uniform negative, Xavier
 * init, no L2): evaluate validation MRR@10 (RecBole's default valid_metric) every `bprEvery` epochs,
 * stop after `bprPatience` evaluations without gain (RecBole's stopping_step 10 at eval_step 1), keep
 * the best epoch's factors. For refit protocols the best epoch count is retrained on the whole train.
 */
const selectBpr = (c: TCase): TCandidate => {
  const params = { factors: 64, learningRate: 0.001, regularization: 0, batchSize: 2048 };
  const make = (train: TCsrMatrix) =>
    createBprTrainer(train, { ...params, epochs: 0, optimizer: "adam", init: "xavier" }, c.seed);
  const started = performance.now();
  const t = make(c.selectTrain);
  let best = { mrr: -1, ndcg: 0, epoch: 0, model: t.snapshot() };
  let stale = 0;
  for (let epoch = 1; epoch <= c.bprMaxEpochs; epoch++) {
    t.runEpoch();
    if (epoch % c.bprEvery !== 0) continue;
    const valid = evaluateValid(c, t.model);
    if (valid.mrr > best.mrr) {
      best = { mrr: valid.mrr, ndcg: valid.ndcg, epoch, model: t.snapshot() };
      stale = 0;
    } else if (++stale >= c.bprPatience) break;
  }
  log(`  BPR best epoch ${best.epoch}: valid mrr@10 ${best.mrr.toFixed(4)} ndcg@10 ${best.ndcg.toFixed(4)}`);
  const chosen = { ...params, epochs: best.epoch };
  if (!c.refit) {
    // Training with its early stopping is the fit RecBole times.
    return {
      params: chosen,
      scorer: best.model,
      seconds: (performance.now() - started) / 1000,
      validNdcg: best.ndcg,
    };
  }
  const { value: scorer, seconds } = timed(() => {
    const full = make(c.train);
    for (let epoch = 0; epoch < best.epoch; epoch++) full.runEpoch();
    return full.model;
  });
  return { params: chosen, scorer, seconds, validNdcg: best.ndcg };
};

/** SAR with Microsoft's benchmark settings: Jaccard, 30-day half-life, ratings as event weights. */
const selectSar = (c: TCase): TCandidate => {
  const fitOn = (train: TCsrMatrix, positions: Int32Array) =>
    timed(() => ({
      scorer: fitSar(train, { similarity: "jaccard" }),
      history: timeDecayedAffinity(c.log, positions, { halfLife: 30 * DAY }),
    }));
  const selected = fitOn(c.selectTrain, c.selectTrainPositions);
  const validNdcg = evaluateValid(c, selected.value.scorer, selected.value.history).ndcg;
  const final = c.refit ? fitOn(c.train, c.trainPositions) : selected;
  return {
    params: { halfLifeDays: 30 },
    scorer: final.value.scorer,
    history: final.value.history,
    seconds: final.seconds,
    validNdcg,
  };
};

/** A Gram matrix per training matrix (EASE and EDLAE share one across their grid points). */
const easeGramCache = (maxItems: number | undefined) => {
  const grams = new Map<TCsrMatrix, TEaseGram>();
  return (train: TCsrMatrix): TEaseGram => {
    let g = grams.get(train);
    if (!g) {
      g = easeGram(train, { maxItems });
      grams.set(train, g);
    }
    return g;
  };
};

/**
 * EDLAE with its two normalisations (ease.ts): user rows weighted by |u|^-a in the Gram matrix, item
 * columns of B divided by pop^b. Every (a, lambda, dropout) is solved once and the b values are column
 * rescalings of that solution; all chosen on validation NDCG@10, the timed fit is the chosen point's
 * solve (refitted on the whole train for refit protocols).
 */
const selectEdlaeNorm = (c: TCase): TCandidate => {
  const axes = { a: [0, 0.25, 0.5], lambda: c.easeLambdas, dropout: [0.25, 0.5] };
  // b up to 0.5, the range RP3beta's beta is searched over in practice: validation, not the grid's
  // edge, decides how much damping a data set gets.
  const exponents = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];
  const paramsOf = (p: TParams) => ({
    lambda: p.lambda!,
    dropout: p.dropout!,
    userWeightExponent: p.a!,
    popularityExponent: p.b ?? 0,
    maxItems: c.easeMaxItems,
  });
  let best: TCandidate | undefined;
  let gram: TEaseGram | undefined;
  for (const point of grid(axes)) {
    if (gram?.userWeightExponent !== point.a) gram = easeGram(c.selectTrain, paramsOf(point));
    const g = gram;
    const { value: solved, seconds } = timed(() => fitEase(c.selectTrain, paramsOf(point), g));
    const valid = exponents.map((b) => {
      const scorer = withPopularityExponent(solved, b);
      return { b, scorer, validNdcg: evaluateValid(c, scorer).ndcg };
    });
    log(
      `  EDLAE-norm ${JSON.stringify(point)} valid ndcg@10 by b ${valid.map((v) => `${v.b}:${v.validNdcg.toFixed(4)}`).join(" ")} (${seconds.toFixed(1)} s)`,
    );
    for (const v of valid) {
      if (best && v.validNdcg <= best.validNdcg) continue;
      const params = { ...point, b: v.b, ...(c.easeMaxItems ? { maxItems: c.easeMaxItems } : {}) };
      best = { params, scorer: v.scorer, seconds, validNdcg: v.validNdcg };
    }
  }
  const chosen = best!;
  if (!c.refit) return chosen;
  const { value: scorer, seconds } = timed(() => fitEase(c.train, paramsOf(chosen.params)));
  return { ...chosen, scorer, seconds };
};

const ALGORITHMS = [
  "Popularity",
  "ItemKNN",
  "RP3beta",
  "SAR",
  "EASE",
  "EDLAE",
  "EDLAE-norm",
  "ALS",
  "BPR",
  "Hybrid",
] as const;

const benchCase = (c: TCase, algos: ReadonlySet<string>): TBenchRow[] => {
  describeCase(c);
  const candidates: Record<string, TCandidate> = {};
  const want = (name: string) => {
    const reason = c.skip?.[name];
    if (reason && algos.has(name)) log(`${c.dataset} ${c.kind} ${name} skipped: ${reason}`);
    return name === "Popularity" || (algos.has(name) && !reason);
  };
  const run = (name: string, select: () => TCandidate) => {
    if (!want(name)) return;
    log(`${c.dataset} ${c.kind} ${name}`);
    candidates[name] = select();
  };
  run("Popularity", () => selectGrid(c, "Popularity", [{}], (train) => fitPopularity(train)));
  run("ItemKNN", () =>
    selectGrid(c, "ItemKNN", grid({ k: [50, 200], shrink: [0] }), (train, p) =>
      fitItemKnn(train, { k: p.k!, shrink: p.shrink! }),
    ),
  );
  run("RP3beta", () =>
    selectGrid(c, "RP3beta", grid({ alpha: [0.8], beta: [0.4, 0.6], k: [100] }), (train, p) =>
      fitRp3beta(train, { alpha: p.alpha!, beta: p.beta!, k: p.k! }),
    ),
  );
  run("SAR", () => selectSar(c));
  run("EASE", () => {
    // One Gram matrix per training matrix, shared by the lambdas.
    const gramOf = easeGramCache(c.easeMaxItems);
    const points = c.easeLambdas.map(
      (lambda): TParams => (c.easeMaxItems ? { lambda, maxItems: c.easeMaxItems } : { lambda }),
    );
    return selectGrid(c, "EASE", points, (train, p) =>
      fitEase(train, { lambda: p.lambda!, maxItems: p.maxItems }, gramOf(train)),
    );
  });
  // EDLAE (Steck 2020): EASE with emphasised dropout, over the same lambdas; fits share a Gram matrix.
  run("EDLAE", () => {
    const gramOf = easeGramCache(c.easeMaxItems);
    const points = c.easeLambdas.flatMap((lambda) =>
      [0.25, 0.5].map(
        (dropout): TParams => ({ lambda, dropout, ...(c.easeMaxItems ? { maxItems: c.easeMaxItems } : {}) }),
      ),
    );
    return selectGrid(c, "EDLAE", points, (train, p) =>
      fitEase(train, { lambda: p.lambda!, dropout: p.dropout!, maxItems: p.maxItems }, gramOf(train)),
    );
  });
  run("EDLAE-norm", () => selectEdlaeNorm(c));
  run("ALS", () =>
    selectEpochs(c, "ALS", grid({ factors: [64], regularization: [5], alpha: [2] }), 15, 5, (train, p) => {
      const t = createAlsTrainer(
        train,
        { factors: p.factors!, regularization: p.regularization!, alpha: p.alpha!, iterations: 0 },
        c.seed,
      );
      return { scorer: t.model, step: () => t.runIteration() };
    }),
  );
  run("BPR", () => selectBpr(c));
  const blend = ["EASE", "RP3beta", "ALS"].filter((name) => candidates[name]);
  if (want("Hybrid") && blend.length >= 2) {
    log(`${c.dataset} ${c.kind} Hybrid of ${blend.join(", ")}`);
    // Weights are chosen on validation, which needs each part as fitted on the selection train: for
    // refit protocols the reported parts were refitted on the whole train, so fit them there again.
    const validParts = c.refit
      ? blend.map((name) => refitOn(c, name, candidates[name]!.params, c.selectTrain))
      : blend.map((name) => candidates[name]!.scorer);
    const testParts = blend.map((name) => candidates[name]!.scorer);
    const weightGrid = grid(
      Object.fromEntries(blend.map((name, i) => [`w${name}`, i === 0 ? [1] : [0, 0.25, 0.5]])),
    );
    let best: { params: TParams; validNdcg: number } | undefined;
    for (const params of weightGrid) {
      const validNdcg = evaluateValid(
        c,
        fitHybrid(
          validParts,
          blend.map((name) => params[`w${name}`]!),
        ),
      ).ndcg;
      if (!best || validNdcg > best.validNdcg) best = { params, validNdcg };
    }
    log(`  Hybrid ${JSON.stringify(best)}`);
    candidates.Hybrid = {
      params: best!.params,
      scorer: fitHybrid(
        testParts,
        blend.map((name) => best!.params[`w${name}`]!),
      ),
      seconds: blend.reduce((s, name) => s + candidates[name]!.seconds, 0),
      validNdcg: best!.validNdcg,
    };
  }
  if (c.refitVariant && candidates.EASE) {
    // Not RecBole's procedure (it tests the model trained on train only): the usual final step of
    // selecting on validation and then refitting on train + validation with the chosen lambda.
    const history = addCsr(c.train, c.selectValid);
    const chosen = candidates.EASE;
    const { value: scorer, seconds } = timed(() =>
      fitEase(history, { lambda: chosen.params.lambda!, maxItems: chosen.params.maxItems }),
    );
    candidates["EASE (refit train+valid)"] = {
      params: chosen.params,
      scorer,
      seconds,
      validNdcg: chosen.validNdcg,
      history,
      note: "lambda chosen on validation, then refitted on train + validation (not RecBole's procedure)",
    };
  }

  const popularity = candidates.Popularity ? evaluateTest(c, candidates.Popularity).ndcg : 0;
  return Object.entries(candidates).map(([algorithm, candidate]) => {
    const test = evaluateTest(c, candidate);
    log(
      `${c.dataset} ${c.kind} ${algorithm}: test ndcg@10 ${test.ndcg.toFixed(4)} recall@10 ${test.recall.toFixed(4)} mrr@10 ${test.mrr.toFixed(4)}`,
    );
    const anchor = c.anchors.find((a) => a.algorithm === algorithm);
    const ndcg = round(test.ndcg);
    return {
      dataset: c.dataset,
      protocol: c.split.protocol,
      algorithm,
      params: candidate.params,
      trainSeconds: Math.round(candidate.seconds * 100) / 100,
      validNdcg: round(candidate.validNdcg),
      metrics: {
        [`recall@${K}`]: round(test.recall),
        [`ndcg@${K}`]: ndcg,
        [`mrr@${K}`]: round(test.mrr),
        [`hit@${K}`]: round(test.hit),
        [`precision@${K}`]: round(test.precision),
      },
      [`coverage@${K}`]: round(test.coverage),
      testUsers: test.users,
      ratioToPopularity: popularity > 0 ? round(test.ndcg / popularity) : 0,
      ...(anchor
        ? { published: anchor, ratioToPublished: round(test.ndcg / anchor.metrics[`ndcg@${K}`]!) }
        : {}),
      ...(candidate.note ? { note: candidate.note } : {}),
    };
  });
};

// Refits one selected algorithm on another training matrix (the hybrid's validation parts).
const refitOn = (c: TCase, name: string, p: TParams, train: TCsrMatrix): TScorer => {
  if (name === "EASE") return fitEase(train, { lambda: p.lambda!, maxItems: p.maxItems });
  if (name === "RP3beta") return fitRp3beta(train, { alpha: p.alpha!, beta: p.beta!, k: p.k! });
  if (name === "ALS") {
    const t = createAlsTrainer(
      train,
      { factors: p.factors!, regularization: p.regularization!, alpha: p.alpha!, iterations: 0 },
      c.seed,
    );
    for (let epoch = 0; epoch < p.epochs!; epoch++) t.runIteration();
    return t.model;
  }
  throw new Error(`no refit for ${name} (${c.dataset})`);
};

const round = (v: number) => Math.round(v * 10_000) / 10_000;
const ndcgOf = (row: TBenchRow): number => (row.metrics as Record<string, number>)[`ndcg@${K}`]!;

// --- command line ---

type TFilter = { datasets?: Set<string>; protocols?: Set<string>; algos: Set<string> };

const parseArgs = (argv: readonly string[]): TFilter => {
  const list = (flag: string) => {
    const at = argv.indexOf(flag);
    if (at < 0) return undefined;
    const value = argv[at + 1];
    if (!value || value.startsWith("--")) throw new Error(`${flag} needs a comma-separated value`);
    return new Set(value.split(",").map((v) => v.trim()));
  };
  const algos = list("--algo") ?? new Set<string>(ALGORITHMS);
  for (const a of algos) {
    if (!(ALGORITHMS as readonly string[]).includes(a)) {
      throw new Error(`--algo ${a}: unknown algorithm; known: ${ALGORITHMS.join(", ")}`);
    }
  }
  return { datasets: list("--dataset"), protocols: list("--protocol"), algos };
};

const RECBOLE_ANCHORS: TAnchor[] = [
  {
    source: "RecBole docs, quick start (BPR on ml-100k, test result)",
    algorithm: "BPR",
    metrics: {
      "recall@10": 0.2523,
      "ndcg@10": 0.292,
      "mrr@10": 0.4855,
      "hit@10": 0.7953,
      "precision@10": 0.1962,
    },
  },
];
const MSR_ANCHORS: TAnchor[] = [
  {
    source: "Microsoft Recommenders benchmark, MovieLens 100k",
    algorithm: "BiVAE",
    metrics: { "ndcg@10": 0.475 },
  },
  {
    source: "Microsoft Recommenders benchmark, MovieLens 100k",
    algorithm: "BPR",
    metrics: { "ndcg@10": 0.442 },
  },
  {
    source: "Microsoft Recommenders benchmark, MovieLens 100k",
    algorithm: "SAR",
    metrics: { "ndcg@10": 0.382 },
  },
];

const ML_BPR = { bprEvery: 1, bprPatience: 11, bprMaxEpochs: 300 };

/**
 * Every case in run order; `build` is called only for selected ones. `repeats`: the case runs again
 * with each of these seeds (a new split and new initialisations) for the listed algorithms, and their
 * test NDCG@10 is reported as a mean over all seeds: on movielens-100k one random 8:1:1 split moves
 * BPR's NDCG@10 by several percent (0.275 to 0.291 over seeds 2020-2024), more than the goals' margins.
 */
const CASES: {
  dataset: string;
  kind: string;
  build: (seed: number) => TCase | undefined;
  repeats?: { seeds: number[]; algorithms: string[] };
}[] = [
  {
    dataset: "movielens-100k",
    kind: "recbole",
    repeats: { seeds: [2021, 2022, 2023, 2024], algorithms: ["EASE", "EDLAE", "EDLAE-norm", "BPR"] },
    build: (seed) => {
      const rows = loadMovielens100k();
      if (!rows) return undefined;
      const l = buildInteractionLog(rows);
      return withValidation("movielens-100k", "recbole", l, randomSplitPerUser(l, seed), {
        seed,
        requireHistory: false,
        easeLambdas: [200, 300, 500, 800],
        ...ML_BPR,
        anchors: RECBOLE_ANCHORS,
        refitVariant: true,
      });
    },
  },
  {
    dataset: "movielens-100k",
    kind: "msr",
    build: (seed) => {
      const rows = loadMovielens100k();
      if (!rows) return undefined;
      return msrCase("movielens-100k", buildInteractionLog(rows), {
        seed,
        requireHistory: false,
        easeLambdas: [300, 500],
        ...ML_BPR,
        anchors: MSR_ANCHORS,
        refitVariant: false,
      });
    },
  },
  {
    dataset: "ml-latest-small",
    kind: "recbole",
    build: (seed) => {
      const rows = loadMlLatestSmall();
      if (!rows) return undefined;
      const l = buildInteractionLog(rows);
      // Dense EASE on all 9.7k items needs ~0.8 GB and minutes per lambda here (the inverse is
      // O(n^3)); the 2,500 most-rated training items carry most interactions.
      return withValidation("ml-latest-small", "recbole", l, randomSplitPerUser(l, seed), {
        seed,
        requireHistory: false,
        easeMaxItems: 2500,
        easeLambdas: [200, 500],
        bprEvery: 5,
        bprPatience: 3,
        bprMaxEpochs: 300,
        anchors: [],
        refitVariant: false,
        skip: {
          SAR: "SAR keeps every co-occurring pair; here that is tens of millions of item pairs",
        },
      });
    },
  },
  {
    dataset: "uci-online-retail",
    kind: "time",
    build: (seed) => {
      const rows = loadUciRetail();
      if (!rows) return undefined;
      const l = buildInteractionLog(rows);
      const last = rows.reduce((m, r) => Math.max(m, r.timestamp ?? 0), 0);
      // Last 30 days test, the 30 before validate; only customers with earlier purchases are evaluated.
      return withValidation(
        "uci-online-retail",
        "time",
        l,
        globalTimeSplit(l, last - 60 * DAY, last - 30 * DAY),
        {
          seed,
          requireHistory: true,
          easeMaxItems: 2500,
          easeLambdas: [100, 500],
          bprEvery: 5,
          bprPatience: 3,
          bprMaxEpochs: 150,
          anchors: [],
          refitVariant: false,
        },
      );
    },
  },
];

/** One row per repeated algorithm: its @10 metrics averaged over every seed it ran with. */
const seedMeans = (algorithms: string[], rows: TBenchRow[]): TBenchRow[] =>
  algorithms.flatMap((algorithm) => {
    const runs = rows.filter((r) => r.algorithm === algorithm);
    if (runs.length < 2) return [];
    const metricsOf = (r: TBenchRow) => r.metrics as Record<string, number>;
    const mean = (key: string) => runs.reduce((sum, r) => sum + metricsOf(r)[key]!, 0) / runs.length;
    const ndcgs = runs.map(ndcgOf);
    const ndcgMean = mean(`ndcg@${K}`);
    const sd = Math.sqrt(ndcgs.reduce((sum, v) => sum + (v - ndcgMean) ** 2, 0) / (runs.length - 1));
    const first = runs[0]!;
    return [
      {
        dataset: first.dataset,
        protocol: first.protocol,
        algorithm: `${algorithm} (mean of ${runs.length} seeds)`,
        seeds: runs.map((r) => r.seed as number),
        metrics: Object.fromEntries(Object.keys(metricsOf(first)).map((key) => [key, round(mean(key))])),
        [`ndcg@${K}BySeed`]: ndcgs,
        [`ndcg@${K}Sd`]: round(sd),
        ...(first.published
          ? {
              published: first.published,
              ratioToPublished: round(ndcgMean / ndcgOf({ metrics: (first.published as TAnchor).metrics })),
            }
          : {}),
        note: "mean over seeds, each a new random split and new initialisations",
      },
    ];
  });

type TGoal = { goal: string; ours: number; target: number; met: boolean };

const goals = (rows: TBenchRow[]): TGoal[] => {
  const of = (dataset: string, prefix: string) =>
    rows.filter((r) => r.dataset === dataset && String(r.protocol).startsWith(prefix));
  const best = (rs: TBenchRow[]) =>
    rs.reduce<TBenchRow | undefined>((b, r) => (!b || ndcgOf(r) > ndcgOf(b) ? r : b), undefined);
  const out: TGoal[] = [];
  const all = of("movielens-100k", "recbole");
  // Where an algorithm ran with several seeds, its goal reads the mean row, not one seed's.
  const means = all.filter((r) => String(r.algorithm).includes("(mean of"));
  const meanOf = (name: string) => means.find((r) => String(r.algorithm).startsWith(`${name} (mean of`));
  const recbole = all.filter((r) => r.seed === SEED && !meanOf(String(r.algorithm)));
  const bpr = meanOf("BPR") ?? recbole.find((r) => r.algorithm === "BPR");
  if (bpr) {
    const target = RECBOLE_ANCHORS[0]!.metrics["ndcg@10"]!;
    out.push({
      goal: `movielens-100k RecBole protocol: ${bpr.algorithm} test NDCG@10 within 5% of RecBole's ${target}`,
      ours: ndcgOf(bpr),
      target,
      met: Math.abs(ndcgOf(bpr) - target) <= 0.05 * target,
    });
  }
  const strict = best([...recbole.filter((r) => !r.note), ...means]);
  if (strict && recbole.length + means.length > 2) {
    out.push({
      goal: `movielens-100k RecBole protocol: best model (${strict.algorithm}, trained on train only) NDCG@10 >= ${GOAL_RECBOLE_BEST}`,
      ours: ndcgOf(strict),
      target: GOAL_RECBOLE_BEST,
      met: ndcgOf(strict) >= GOAL_RECBOLE_BEST,
    });
  }
  const anyRecbole = best(recbole);
  if (anyRecbole && anyRecbole !== strict) {
    out.push({
      goal: `movielens-100k RecBole split: best model with the refit step (${anyRecbole.algorithm}) NDCG@10 >= ${GOAL_RECBOLE_BEST}`,
      ours: ndcgOf(anyRecbole),
      target: GOAL_RECBOLE_BEST,
      met: ndcgOf(anyRecbole) >= GOAL_RECBOLE_BEST,
    });
  }
  const msrBest = best(of("movielens-100k", "msr"));
  if (msrBest && of("movielens-100k", "msr").length > 1) {
    out.push({
      goal: `movielens-100k Microsoft protocol: best model (${msrBest.algorithm}) NDCG@10 >= ${GOAL_MSR_BEST} (BiVAE 0.475)`,
      ours: ndcgOf(msrBest),
      target: GOAL_MSR_BEST,
      met: ndcgOf(msrBest) >= GOAL_MSR_BEST,
    });
  }
  return out;
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const filter = parseArgs(process.argv.slice(3));
  const rows: TBenchRow[] = [];
  for (const spec of CASES) {
    if (filter.datasets && !filter.datasets.has(spec.dataset)) continue;
    if (filter.protocols && !filter.protocols.has(spec.kind)) continue;
    const c = spec.build(SEED);
    if (!c) {
      log(`${spec.dataset} missing in ${DATASETS}: skipped`);
      continue;
    }
    const started = performance.now();
    const caseRows = benchCase(c, filter.algos).map((row) => ({ ...row, seed: SEED }));
    rows.push(...caseRows);
    const repeated = (spec.repeats?.algorithms ?? []).filter((name) => filter.algos.has(name));
    if (spec.repeats && repeated.length > 0) {
      const again: TBenchRow[] = [];
      for (const seed of spec.repeats.seeds) {
        log(`${spec.dataset} ${spec.kind} again with seed ${seed}: ${repeated.join(", ")}`);
        const other = { ...spec.build(seed)!, refitVariant: false };
        again.push(...benchCase(other, new Set(repeated)).map((row) => ({ ...row, seed })));
      }
      rows.push(...again, ...seedMeans(repeated, [...caseRows, ...again]));
    }
    log(`${spec.dataset} ${spec.kind}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  // The content model's rows (protocol "content"): only when asked for or in a full run.
  if (!filter.protocols || filter.protocols.has("content"))
    rows.push(...(await contentRows(filter.datasets)));
  if (rows.length === 0) throw new Error("no case ran: check --dataset/--protocol and ../shared/datasets");
  const first = rows[0]!;
  const popularity = rows.find(
    (r) => r.dataset === first.dataset && r.protocol === first.protocol && r.algorithm === "Popularity",
  );
  // The first case as run with the main seed (its other seeds' single rows left out; means kept).
  const sameCase = rows.filter(
    (r) =>
      r.dataset === first.dataset &&
      r.protocol === first.protocol &&
      (r.seed === undefined || r.seed === SEED),
  );
  const best = sameCase.reduce((b, r) => (ndcgOf(r) > ndcgOf(b) ? r : b), first);
  const baseline = popularity ? ndcgOf(popularity) : 0;
  const checks = goals(rows);
  for (const g of checks) {
    rows.push({ kind: "goal", ...g, ratio: round(g.ours / g.target) });
  }
  const subset = process.argv.length > 3 ? ` (subset: ${process.argv.slice(3).join(" ")})` : "";
  return {
    name: "recsys",
    startedAt,
    machine: machineInfo(),
    rows,
    baseline: {
      what: `Popularity test NDCG@10 on ${first.dataset} (${first.protocol}), this run`,
      value: baseline,
    },
    ratio: baseline > 0 ? round(ndcgOf(best) / baseline) : 0,
    goal:
      (checks.map((g) => `${g.goal}: ${g.ours} (${g.met ? "met" : "NOT met"})`).join("; ") ||
        "no goal in this subset") + subset,
    met: checks.length > 0 && checks.every((g) => g.met),
  };
};
