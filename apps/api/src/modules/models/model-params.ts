import { DEFAULT_EVENT_WEIGHTS, ZEventWeights } from "@dam/vocabulary/event-weights";
import { z } from "zod";

// What a training request may ask for, validated once when the request arrives (and again by the job,
// which re-reads the stored params). A numeric hyper-parameter given as a list is a grid: every
// combination is fitted on the training split and the best on validation NDCG@10 is kept.

export const TRAINABLE_ALGORITHMS = [
  "POP",
  "ITEMKNN",
  "EASE",
  "ALS",
  "BPR",
  "RP3BETA",
  "SAR",
  "CONTENT_RIDGE",
  "HYBRID",
] as const;
export type TTrainableAlgorithm = (typeof TRAINABLE_ALGORITHMS)[number];

export const TRAINING_PROTOCOLS = ["RANDOM_8_1_1", "LEAVE_LAST_OUT", "GLOBAL_TIME"] as const;
export type TTrainingProtocol = (typeof TRAINING_PROTOCOLS)[number];

/** Largest grid one request may ask for: each point is a full fit on a 2-core machine. */
export const MAX_GRID_POINTS = 12;

const value = (schema: z.ZodNumber) => z.union([schema, z.array(schema).min(1).max(MAX_GRID_POINTS)]);
const positiveInt = (max: number) => value(z.number().int().positive().max(max));
const nonNegative = value(z.number().nonnegative());
const positive = value(z.number().positive());

// Defaults: the values the recsys benchmark selected on movielens-100k (bench/recsys.bench.ts), scaled
// down in epochs so a console training run on the demo shop takes seconds, not minutes.
const ITEMKNN = z.object({ k: positiveInt(1_000).default(100), shrink: nonNegative.default(10) }).strict();
const ALS = z
  .object({
    factors: positiveInt(512).default(32),
    regularization: positive.default(1),
    alpha: positive.default(2),
    iterations: z.number().int().positive().max(100).default(10),
    cgSteps: z.number().int().positive().max(20).default(3),
  })
  .strict();

/** Neighbours per item the artifact keeps for the item-item models whose similarity rows are long. */
const artifactNeighbours = z.number().int().positive().max(1_000).default(100);

/** Algorithms that always need a feature set as an input. */
export const FEATURE_ALGORITHMS: readonly TTrainableAlgorithm[] = ["CONTENT_RIDGE"];

/** Whether a request reads item features: CONTENT_RIDGE, or a HYBRID that may give the content model weight. */
export const readsItemFeatures = (algorithm: TTrainableAlgorithm, params: TAlgorithmParams): boolean => {
  if (FEATURE_ALGORITHMS.includes(algorithm)) return true;
  const w = params.wContent;
  return algorithm === "HYBRID" && (Array.isArray(w) ? w.some((v) => v > 0) : typeof w === "number" && w > 0);
};

// The content model of the seed formula (packages/recsys/src/content-ridge.ts). lambda scales with the
// features: fused vectors have blocks of unit length, so X^T X / N has eigenvalues of order 1/d and
// lambda/2 of 0.001..0.1 spans "barely" to "strongly" regularised; the grid is searched on validation.
// SGD (the seed's optimiser): step learningRate / (1 + decay t) on mini-batches of batchSize items;
// the per-item Hessian 2 x_i^T x_i has norm 2 ||x_i||^2 (about 3 for the default fusion weights), so
// steps above ~0.6 diverge.
const CONTENT_RIDGE = z
  .object({
    lambda: positive.default([0.002, 0.02, 0.2]),
    solver: z.enum(["closed", "sgd"]).default("closed"),
    epochs: z.number().int().positive().max(500).default(40),
    batchSize: z.number().int().positive().max(4_096).default(32),
    learningRate: value(z.number().positive().max(10)).default(0.3),
    decay: value(z.number().min(0).max(10)).default(0.05),
  })
  .strict();

const ALGORITHM_PARAMS = {
  POP: z.object({}).strict(),
  ITEMKNN,
  EASE: z
    .object({
      lambda: positive.default(250),
      /**
       * Emphasised dropout (EDLAE, Steck 2020): 0 is plain EASE. On movielens-100k (RecBole split)
       * 0.5 with lambda 300 was chosen on validation and scored test NDCG@10 0.3228 against EASE's 0.3202.
       */
      dropout: value(z.number().min(0).max(0.9)).default(0),
      /**
       * Normalisations (packages/recsys/src/ease.ts), 0 = off: user rows weighted by |u|^-a in the Gram
       * matrix, and item columns of B divided by pop^b. On movielens-100k (RecBole split, 5 seeds,
       * chosen on validation) both together with dropout lifted test NDCG@10 from 0.3276 to 0.331.
       */
      userWeightExponent: value(z.number().min(0).max(2)).default(0),
      popularityExponent: value(z.number().min(0).max(2)).default(0),
      // Dense EASE holds an n x n Float64 matrix and inverts it in O(n^3): on the demo shop (2-core
      // machine) 3,000 items took ~107 s per fit, 2,000 about a third of that.
      maxItems: z.number().int().positive().max(6_000).default(2_000),
      /** Neighbours per item kept in the artifact (EASE's dense weights sparsified to the top k). */
      artifactNeighbours: z.number().int().positive().max(1_000).default(100),
    })
    .strict(),
  ALS,
  BPR: z
    .object({
      factors: positiveInt(512).default(32),
      learningRate: positive.default(0.05),
      regularization: nonNegative.default(0.01),
      epochs: z.number().int().positive().max(500).default(20),
    })
    .strict(),
  // RP3beta (packages/recsys/src/rp3beta.ts); alpha 1, beta 0.5, k 100 are in the range Dacrema et al.
  // (2019) found best on MovieLens; the grid refines them on validation.
  RP3BETA: z
    .object({
      alpha: positive.default(1),
      beta: value(z.number().min(0).max(2)).default(0.5),
      k: positiveInt(1_000).default(100),
    })
    .strict(),
  // SAR (packages/recsys/src/sar.ts) with Microsoft Recommenders' defaults (jaccard, threshold 1).
  SAR: z
    .object({
      similarity: z.enum(["jaccard", "lift", "cooccurrence"]).default("jaccard"),
      threshold: positiveInt(1_000).default(1),
      artifactNeighbours,
    })
    .strict(),
  CONTENT_RIDGE,
  // ALS (factors) + item-kNN (neighbours) + popularity, each part's scores standardised per user and
  // blended with the weights (hybrid-blend.ts); the weights are a grid searched on validation. The key
  // order (ALS's, then kNN's, then the weights) is the order expandGrid walks the grid in.
  // wContent > 0 blends in CONTENT_RIDGE (closed form, contentLambda) on the version's feature set.
  HYBRID: ALS.extend(ITEMKNN.shape).extend({
    wFactors: nonNegative.default([0.5, 1]),
    wNeighbours: nonNegative.default(1),
    wPopularity: nonNegative.default(0),
    wContent: nonNegative.default(0),
    contentLambda: z.number().positive().default(0.02),
  }),
} satisfies Record<TTrainableAlgorithm, z.ZodType>;

/** A numeric value, a grid (list) of them, or a choice (a string such as SAR's similarity). */
export type TAlgorithmParams = Record<string, number | number[] | string>;
/** One grid point: the numbers chosen, strings as given. */
export type TGridPoint = Record<string, number | string>;

export const ZTrainingOptions = z.object({
  seed: z.number().int().nonnegative().default(42),
  /**
   * Weight of each event type in the interaction matrix; the platform's one table unless the request
   * overrides it. Stored in the model's params and artifact: serving folds live events in with it.
   */
  eventWeights: ZEventWeights.default(DEFAULT_EVENT_WEIGHTS),
  /** Validation NDCG@10 of iterative models is measured after every `validateEvery` epochs. */
  validateEvery: z.number().int().positive().max(50).default(1),
  /**
   * Event types whose items count as seen: left out of a user's ranking in evaluation and, by default,
   * in serving. Purchases only by default: an item merely viewed is still a good recommendation, and
   * excluding every viewed item removed most of item-kNN's held-out hits on an unseen shop (issue 17).
   * Events without a type column count as purchases.
   */
  excludeSeenTypes: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(10).default(["purchase"]),
});
export type TTrainingOptions = z.infer<typeof ZTrainingOptions>;

/** Everything the job needs besides the input ids, stored as ModelVersion.params. */
export type TStoredParams = { algorithm: TAlgorithmParams; training: TTrainingOptions };

export type TParamsCheck = { ok: true; params: TAlgorithmParams } | { ok: false; message: string };

export const parseAlgorithmParams = (algorithm: TTrainableAlgorithm, raw: unknown): TParamsCheck => {
  const parsed = ALGORITHM_PARAMS[algorithm].safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `params.${issue.path.join(".")}` : "params";
    return { ok: false, message: `${where}: ${issue.message} (algorithm ${algorithm})` };
  }
  const params = parsed.data as TAlgorithmParams;
  const points = expandGrid(params).length;
  if (points > MAX_GRID_POINTS) {
    return {
      ok: false,
      message: `params: the grid has ${points} combinations; at most ${MAX_GRID_POINTS} are allowed`,
    };
  }
  return { ok: true, params };
};

/** Every combination of the list-valued params (a single point when none is a list). */
export const expandGrid = (params: TAlgorithmParams): TGridPoint[] =>
  Object.entries(params).reduce<TGridPoint[]>(
    (points, [key, entry]) =>
      points.flatMap((point) =>
        (Array.isArray(entry) ? entry : [entry]).map((v) => ({ ...point, [key]: v })),
      ),
    [{}],
  );

export const isTrainableAlgorithm = (value: string): value is TTrainableAlgorithm =>
  (TRAINABLE_ALGORITHMS as readonly string[]).includes(value);
