// Fits one algorithm the way the registry reports it: split by the declared protocol, fit every grid
// point on the training part (iterative models epoch by epoch, validated as they go), keep the best on
// validation NDCG@10, report that model's test metrics, then fit the chosen configuration on all the
// data for the artifact. No I/O here; the job passes hooks for progress and cancellation.

import { createBprTrainer } from "@dam/recsys/bpr";
import {
  createContentRidgeSgdTrainer,
  fitContentRidge,
  ridgeSolveMatrix,
  type TItemFeatures,
} from "@dam/recsys/content-ridge";
import type { TCsrMatrix } from "@dam/recsys/csr-matrix";
import { fitEase } from "@dam/recsys/ease";
import { evaluateFullRanking, type TEvaluation } from "@dam/recsys/evaluate-ranking";
import { fitHybrid } from "@dam/recsys/hybrid-blend";
import { createAlsTrainer } from "@dam/recsys/implicit-als";
import { matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { fitItemKnn } from "@dam/recsys/item-knn";
import { fitPopularity } from "@dam/recsys/popularity";
import type { TScorer } from "@dam/recsys/recommender-types";
import { fitRp3beta } from "@dam/recsys/rp3beta";
import { fitSar } from "@dam/recsys/sar";
import { fitServedPopularity } from "@dam/recsys/served-popularity";
import { globalTimeSplit, leaveLastOut, randomSplitPerUser, type TSplit } from "@dam/recsys/split-protocols";
import {
  alignFeatures,
  evaluateNewItems,
  logWithFeatureItems,
  newItemSplit,
  type TContentFeatures,
  type TNewItemMetrics,
  withTrainingPopularity,
} from "./content-fitting.ts";
import { buildModelArtifact, type TFittedParts } from "./model-artifact-parts.ts";
import {
  expandGrid,
  readsItemFeatures,
  type TAlgorithmParams,
  type TGridPoint,
  type TTrainableAlgorithm,
  type TTrainingOptions,
  type TTrainingProtocol,
} from "./model-params.ts";

export const METRIC_K = 10;
export const PRIMARY_METRIC = "ndcg";

export type TCurvePoint = { epoch: number; loss: number; ndcg: number | null };
export type TMetricSet = TEvaluation;

export type TFitHooks = {
  /** Called between epochs and fits: report progress (0..100) and stop if the job was cancelled. */
  onProgress: (percent: number, message: string) => Promise<void>;
};

export type TFitResult = {
  protocol: string;
  selected: TGridPoint;
  validation: TMetricSet;
  test: TMetricSet;
  curves: TCurvePoint[];
  split: { train: number; valid: number; test: number };
  trainSeconds: number;
  artifact: ReturnType<typeof buildModelArtifact>;
  /**
   * The popularity the server answers a POP model with, measured on the same split and exclusions:
   * segment popularity for members of the model's segment set, overall popularity otherwise.
   */
  baseline: { algorithm: "SEGMENT_POPULARITY" | "POPULARITY"; test: TMetricSet };
  /** The new-item protocol's figures (models that read item features), null otherwise. */
  newItems: TNewItemMetrics | null;
  /** Items of the log with no row in the feature set (content models score them 0). */
  itemsWithoutFeatures: number | null;
};

/** Items kept per segment in the artifact (model-segments.ts SEGMENT_TOP_ITEMS), so the baseline ranks as serving does. */
const SERVED_SEGMENT_ITEMS = 500;

export class TrainingInputError extends Error {}

/** Splits the log by protocol. The global time split cuts at the 80th and 90th percentile of time. */
export const splitByProtocol = (
  log: TInteractionLog,
  protocol: TTrainingProtocol,
  seed: number,
  timed: boolean,
): TSplit => {
  if (protocol === "RANDOM_8_1_1") return randomSplitPerUser(log, seed);
  if (!timed) {
    throw new TrainingInputError(
      `protocol ${protocol} needs a time for every event: give a column the role timestamp (a timestamp or number column)`,
    );
  }
  if (protocol === "LEAVE_LAST_OUT") return leaveLastOut(log);
  const sorted = Float64Array.from(log.timestamps).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const split = globalTimeSplit(log, at(0.8), at(0.9));
  return { ...split, protocol: `${split.protocol}@${new Date(at(0.8) * 1000).toISOString()}` };
};

type TCandidate = {
  scorer: TScorer;
  /** 0 for closed-form models. */
  epochs: number;
  step?: () => number;
  /** An independent copy of the current state (iterative models keep their best epoch). */
  snapshot?: () => TScorer;
  parts: () => TFittedParts;
};

const factorScorer = (user: Float32Array, item: Float32Array, dim: number, itemCount: number): TScorer => ({
  itemCount,
  scoreUser(u, _history, out) {
    const uo = u * dim;
    for (let i = 0; i < itemCount; i++) {
      let s = 0;
      for (let a = 0; a < dim; a++) s += user[uo + a]! * item[i * dim + a]!;
      out[i] = s;
    }
  },
});

const createCandidate = (
  algorithm: TTrainableAlgorithm,
  train: TCsrMatrix,
  point: TGridPoint,
  seed: number,
  features: TItemFeatures | null,
): TCandidate => {
  const p = point as Record<string, number>;
  switch (algorithm) {
    case "POP": {
      const model = fitPopularity(train);
      return { scorer: model, epochs: 0, parts: () => ({ kind: "popularity" }) };
    }
    case "ITEMKNN": {
      const model = fitItemKnn(train, { k: p.k!, shrink: p.shrink! });
      return { scorer: model, epochs: 0, parts: () => ({ kind: "item-knn", k: p.k!, model }) };
    }
    case "EASE": {
      const model = fitEase(train, {
        lambda: p.lambda!,
        dropout: p.dropout,
        maxItems: p.maxItems,
        userWeightExponent: p.userWeightExponent,
        popularityExponent: p.popularityExponent,
      });
      return {
        scorer: model,
        epochs: 0,
        parts: () => ({ kind: "ease", k: p.artifactNeighbours!, model }),
      };
    }
    case "ALS": {
      const params = {
        factors: p.factors!,
        regularization: p.regularization!,
        alpha: p.alpha!,
        iterations: 0,
        cgSteps: p.cgSteps,
      };
      const { model, runIteration } = createAlsTrainer(train, params, seed);
      const copy = () => ({
        user: Float32Array.from(model.userFactors),
        item: Float32Array.from(model.itemFactors),
      });
      return {
        scorer: model,
        epochs: p.iterations!,
        step: runIteration,
        snapshot: () => {
          const f = copy();
          return factorScorer(f.user, f.item, model.factors, train.cols);
        },
        parts: () => ({ kind: "factors", dim: model.factors, ...copy() }),
      };
    }
    case "BPR": {
      const params = {
        factors: p.factors!,
        learningRate: p.learningRate!,
        regularization: p.regularization!,
        epochs: 0,
      };
      const { model, runEpoch } = createBprTrainer(train, params, seed);
      return {
        scorer: model,
        epochs: p.epochs!,
        step: runEpoch,
        snapshot: () =>
          factorScorer(model.userFactors.slice(), model.itemFactors.slice(), model.factors, train.cols),
        parts: () => ({
          kind: "factors",
          dim: model.factors,
          user: model.userFactors.slice(),
          item: model.itemFactors.slice(),
        }),
      };
    }
    case "RP3BETA": {
      const model = fitRp3beta(train, { alpha: p.alpha!, beta: p.beta!, k: p.k! });
      return { scorer: model, epochs: 0, parts: () => ({ kind: "neighbours", k: p.k!, model }) };
    }
    case "SAR": {
      const similarity = String(point.similarity) as "jaccard" | "lift" | "cooccurrence";
      const model = fitSar(train, { similarity, threshold: p.threshold });
      const neighbours = { neighbours: model.similarity };
      return {
        scorer: model,
        epochs: 0,
        parts: () => ({ kind: "neighbours", k: p.artifactNeighbours!, model: neighbours }),
      };
    }
    case "CONTENT_RIDGE":
      return contentCandidate(train, point, seed, features);
    case "HYBRID": {
      const als = createCandidate("ALS", train, p, seed, null);
      const knn = fitItemKnn(train, { k: p.k!, shrink: p.shrink! });
      const pop = fitPopularity(train);
      const wContent = p.wContent ?? 0;
      const weights = [p.wFactors!, p.wNeighbours!, p.wPopularity!, wContent];
      if (weights.every((w) => w === 0))
        throw new TrainingInputError("HYBRID needs at least one weight above 0");
      // The content part (closed form, so no epochs of its own) only when it has weight.
      const content =
        wContent > 0
          ? contentCandidate(train, { lambda: p.contentLambda!, solver: "closed" }, seed, features)
          : null;
      const blendOf = (factorScorer: TScorer) =>
        content
          ? fitHybrid([factorScorer, knn, pop, content.scorer], weights)
          : fitHybrid([factorScorer, knn, pop], weights.slice(0, 3));
      return {
        scorer: blendOf(als.scorer),
        epochs: als.epochs,
        step: als.step,
        snapshot: () => blendOf(als.snapshot!()),
        parts: () => {
          const factors = als.parts();
          if (factors.kind !== "factors") throw new Error("the ALS part of HYBRID has no factors");
          const contentParts = content?.parts();
          return {
            kind: "hybrid",
            factors,
            neighbours: { kind: "item-knn", k: p.k!, model: knn },
            blend: {
              factors: p.wFactors!,
              neighbours: p.wNeighbours!,
              popularity: p.wPopularity!,
              ...(content ? { content: wContent } : {}),
            },
            ...(contentParts?.kind === "content" ? { content: contentParts } : {}),
          };
        },
      };
    }
    default: {
      const unknown: never = algorithm;
      throw new TrainingInputError(`algorithm ${String(unknown)} cannot be trained`);
    }
  }
};

const contentCandidate = (
  train: TCsrMatrix,
  point: TGridPoint,
  seed: number,
  features: TItemFeatures | null,
): TCandidate => {
  if (!features) throw new TrainingInputError("CONTENT_RIDGE needs item features: give featureSetId");
  const p = point as Record<string, number>;
  const lambda = p.lambda!;
  const content = (user: Float32Array) => ({
    kind: "content" as const,
    dim: features.dimension,
    user,
    item: features.data,
    solve: Float32Array.from(ridgeSolveMatrix(features, lambda)),
    n: features.rows,
    lambda,
  });
  // W is d x users; the artifact keeps it user-major (users x d) like factor models' user vectors.
  const columns = (weights: Float64Array, users: number) => {
    const d = features.dimension;
    const out = new Float32Array(users * d);
    for (let k = 0; k < d; k++) for (let u = 0; u < users; u++) out[u * d + k] = weights[k * users + u]!;
    return out;
  };
  if (point.solver !== "sgd") {
    const model = fitContentRidge(train, features, lambda);
    return { scorer: model, epochs: 0, parts: () => content(columns(model.weights, model.users)) };
  }
  const { model, runEpoch } = createContentRidgeSgdTrainer(
    train,
    features,
    { lambda, epochs: p.epochs!, batchSize: p.batchSize!, learningRate: p.learningRate!, decay: p.decay },
    seed,
  );
  return {
    scorer: model,
    epochs: p.epochs!,
    step: runEpoch,
    snapshot: () => {
      const weights = Float64Array.from(model.weights);
      const { users } = model;
      const d = features.dimension;
      const column = new Float64Array(d);
      return {
        itemCount: model.itemCount,
        scoreUser(user, _history, out) {
          for (let k = 0; k < d; k++) column[k] = weights[k * users + user]!;
          for (let i = 0; i < features.rows; i++) {
            let s = 0;
            for (let k = 0; k < d; k++) s += features.data[i * d + k]! * column[k]!;
            out[i] = s;
          }
        },
      };
    },
    parts: () => content(columns(model.weights, model.users)),
  };
};

const epochKey = (algorithm: TTrainableAlgorithm) =>
  algorithm === "BPR" || algorithm === "CONTENT_RIDGE" ? "epochs" : "iterations";

/** Share of the items the new-item protocol holds out (with all their interactions). */
export const NEW_ITEM_SHARE = 0.1;

export const fitAndEvaluate = async (input: {
  log: TInteractionLog;
  timed: boolean;
  algorithm: TTrainableAlgorithm;
  params: TAlgorithmParams;
  protocol: TTrainingProtocol;
  options: TTrainingOptions;
  hooks: TFitHooks;
  /** Per log entry: 1 when the pair has an event of an excluded type (readTrainingData); all pairs when omitted. */
  excluded?: Uint8Array;
  /** Segment of each log user (-1: none) from the model's segment set, for the served-popularity baseline. */
  userSegment?: Int32Array | null;
  segmentCount?: number;
  /** Item features (feature set or embedding set) for the models that read them. */
  features?: TContentFeatures | null;
  /** Events per log pair (readTrainingData's events / pairs), to rebuild the popularity feature. */
  eventsPerInteraction?: number;
}): Promise<TFitResult> => {
  const { algorithm, options, hooks } = input;
  const readsFeatures = readsItemFeatures(algorithm, input.params);
  if (readsFeatures && !input.features) {
    throw new TrainingInputError(`${algorithm} needs item features: give featureSetId`);
  }
  // Content models also rank the feature set's items nobody interacted with yet (cold start).
  const log = readsFeatures ? logWithFeatureItems(input.log, input.features!) : input.log;
  const allFeatures = readsFeatures ? alignFeatures(log.itemIds, input.features!) : null;
  const featuresFor = (matrix: TCsrMatrix): TItemFeatures | null =>
    allFeatures
      ? withTrainingPopularity(
          allFeatures,
          input.features!.popularity,
          matrix,
          input.eventsPerInteraction ?? 1,
        )
      : null;
  if (log.userIds.length === 0 || log.itemIds.length < 2) {
    throw new TrainingInputError(
      `the events give ${log.userIds.length} users and ${log.itemIds.length} items after weighting; training needs at least 1 user and 2 items`,
    );
  }
  const split = splitByProtocol(log, input.protocol, options.seed, input.timed);
  if (split.valid.length === 0 || split.test.length === 0) {
    throw new TrainingInputError(
      `protocol ${input.protocol} left ${split.valid.length} validation and ${split.test.length} test interactions; the events are too few to evaluate on`,
    );
  }
  const train = matrixFromLog(log, split.train);
  const valid = matrixFromLog(log, split.valid);
  const test = matrixFromLog(log, split.test);
  const trainFeatures = featuresFor(train);
  const requireHistory = input.protocol === "GLOBAL_TIME";
  // Seen items are left out only when one of the pair's events has an excluded type (excludeSeenTypes),
  // exactly as serving leaves them out: a viewed item can still be a held-out hit.
  const seen = (selection: Int32Array | number[]) => {
    const flags = input.excluded;
    if (!flags) return matrixFromLog(log, selection);
    return matrixFromLog(
      log,
      Array.from(selection).filter((entry) => flags[entry] === 1),
    );
  };
  const trainSeen = seen(split.train);
  const validSeen = seen(split.valid);
  const evaluate = (scorer: TScorer, phase: "valid" | "test"): TEvaluation =>
    evaluateFullRanking({
      scorer,
      history: train,
      exclude: phase === "valid" ? [trainSeen] : [trainSeen, validSeen],
      target: phase === "valid" ? valid : test,
      k: METRIC_K,
      requireHistory,
    });

  const grid = expandGrid(input.params);
  type TBest = {
    point: TGridPoint;
    scorer: TScorer;
    validation: TEvaluation;
    curves: TCurvePoint[];
  };
  let best: TBest | null = null;
  for (const [g, point] of grid.entries()) {
    const share = (done: number) => (80 * (g + done)) / grid.length;
    const label = grid.length > 1 ? ` (grid point ${g + 1} of ${grid.length})` : "";
    await hooks.onProgress(share(0), `Fitting ${algorithm} on the training split${label}`);
    const candidate = createCandidate(algorithm, train, point, options.seed, trainFeatures);
    if (!candidate.step) {
      const validation = evaluate(candidate.scorer, "valid");
      if (!best || validation.ndcg > best.validation.ndcg) {
        best = { point, scorer: candidate.scorer, validation, curves: [] };
      }
      continue;
    }
    const curves: TCurvePoint[] = [];
    let pointBest: { epoch: number; scorer: TScorer; validation: TEvaluation } | null = null;
    for (let epoch = 1; epoch <= candidate.epochs; epoch++) {
      const loss = candidate.step();
      const validate = epoch % options.validateEvery === 0 || epoch === candidate.epochs;
      const validation = validate ? evaluate(candidate.scorer, "valid") : null;
      curves.push({ epoch, loss, ndcg: validation?.ndcg ?? null });
      if (validation && (!pointBest || validation.ndcg > pointBest.validation.ndcg)) {
        pointBest = { epoch, scorer: candidate.snapshot!(), validation };
      }
      await hooks.onProgress(
        share(epoch / candidate.epochs),
        `Epoch ${epoch} of ${candidate.epochs}${label}: loss ${loss.toPrecision(5)}${validation ? `, validation NDCG@10 ${validation.ndcg.toFixed(4)}` : ""}`,
      );
    }
    if (pointBest && (!best || pointBest.validation.ndcg > best.validation.ndcg)) {
      best = {
        point: { ...point, [epochKey(algorithm)]: pointBest.epoch },
        scorer: pointBest.scorer,
        validation: pointBest.validation,
        curves,
      };
    }
  }
  if (!best) throw new TrainingInputError("no configuration could be evaluated");

  await hooks.onProgress(82, "Measuring the selected model on the test split");
  const testMetrics = evaluate(best.scorer, "test");
  const segmented = !!input.userSegment && (input.segmentCount ?? 0) > 0;
  const baselineScorer = segmented
    ? fitServedPopularity(train, input.userSegment!, input.segmentCount!, SERVED_SEGMENT_ITEMS)
    : fitPopularity(train);
  const baseline = {
    algorithm: segmented ? ("SEGMENT_POPULARITY" as const) : ("POPULARITY" as const),
    test: evaluate(baselineScorer, "test"),
  };

  let newItems: TNewItemMetrics | null = null;
  const chosen = best;
  if (algorithm === "CONTENT_RIDGE") {
    await hooks.onProgress(83, "New-item protocol: fitting without the held-out items");
    const held = newItemSplit(log, NEW_ITEM_SHARE, options.seed);
    newItems = evaluateNewItems({
      log,
      split: held,
      k: METRIC_K,
      fit: (heldTrain) =>
        fitWithoutEpochs(algorithm, heldTrain, chosen.point, options.seed, featuresFor(heldTrain)),
    });
  }

  await hooks.onProgress(85, `Fitting ${algorithm} on all the data`);
  const all = matrixFromLog(log);
  const started = performance.now();
  // The final model reads the feature set as built (what serving scores new items with).
  const final = createCandidate(algorithm, all, best.point, options.seed, allFeatures);
  for (let epoch = 1; epoch <= final.epochs; epoch++) {
    final.step!();
    await hooks.onProgress(85 + (13 * epoch) / final.epochs, `Final fit: epoch ${epoch} of ${final.epochs}`);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const popularity = fitPopularity(all).counts;
  const artifact = buildModelArtifact({
    algorithm,
    itemIds: log.itemIds,
    userIds: log.userIds,
    popularity,
    parts: final.parts(),
    contentSource: input.features
      ? { featureSetId: input.features.setId, source: input.features.source, blocks: input.features.blocks }
      : undefined,
    params: {
      ...best.point,
      seed: options.seed,
      eventWeights: options.eventWeights,
      excludeSeenTypes: options.excludeSeenTypes,
    },
  });
  return {
    protocol: split.protocol,
    selected: best.point,
    validation: best.validation,
    test: testMetrics,
    curves: best.curves,
    split: { train: split.train.length, valid: split.valid.length, test: split.test.length },
    trainSeconds,
    artifact,
    baseline,
    newItems,
    itemsWithoutFeatures: allFeatures ? allFeatures.missing : null,
  };
};

/** A candidate fitted to its selected epoch count (closed-form models are fitted by creation). */
const fitWithoutEpochs = (
  algorithm: TTrainableAlgorithm,
  train: TCsrMatrix,
  point: TGridPoint,
  seed: number,
  features: TItemFeatures | null,
): TScorer => {
  const candidate = createCandidate(algorithm, train, point, seed, features);
  for (let epoch = 1; epoch <= candidate.epochs; epoch++) candidate.step!();
  return candidate.scorer;
};
