// The content model's rows of `npm run bench -- recsys` (protocol "content"): CONTENT_RIDGE on item text
// (titles, genres, tags for MovieLens; title, description, category, brand for the demo shop) fused
// by the product's own fusion code, beside popularity, item-kNN, RP3beta and the best validated blend of
// the content model with item-kNN; the new-item protocol (10% of the items held out with all their
// interactions, features visible); and on movielens-100k SGD against the closed form's objective.
// A short configuration: one seed, small grids. Popularity features are counted on the training split
// only (never from held-out interactions), and MovieLens tags, which users write after watching, are
// left out of the held-out items' text in the new-item protocol (a new film has no tags yet).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateDemoShop } from "@dam/demo-shop/generate";
import { createLexicalEmbedder } from "@dam/embedder/lexical-embedder";
import {
  createContentRidgeSgdTrainer,
  fitContentRidge,
  ridgeObjective,
  ridgeProblem,
  type TItemFeatures,
} from "@dam/recsys/content-ridge";
import type { TCsrMatrix } from "@dam/recsys/csr-matrix";
import { evaluateFullRanking, type TEvaluation } from "@dam/recsys/evaluate-ranking";
import { fitHybrid } from "@dam/recsys/hybrid-blend";
import { buildInteractionLog, matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { fitItemKnn } from "@dam/recsys/item-knn";
import { fitPopularity } from "@dam/recsys/popularity";
import type { TScorer } from "@dam/recsys/recommender-types";
import { fitRp3beta } from "@dam/recsys/rp3beta";
import { randomSplitPerUser } from "@dam/recsys/split-protocols";
import { DEFAULT_EVENT_WEIGHTS, eventWeightOf } from "@dam/vocabulary/event-weights";
import { fuseItems, type TFusionItem } from "../apps/api/src/modules/features/fusion-matrix.ts";
import { ZFusionRecipe } from "../apps/api/src/modules/features/fusion-recipe.ts";
import { evaluateNewItems, newItemSplit } from "../apps/api/src/modules/models/content-fitting.ts";
import { BENCH_DIR, type TBenchRow } from "./bench-result.ts";
import { csvFields } from "./csv-line.ts";

const DATASETS = path.resolve(BENCH_DIR, "../../shared/datasets");
const K = 10;
const SEED = 2020;
const LAMBDAS = [0.002, 0.02, 0.2];
const NEW_ITEM_SHARE = 0.1;

/** An item's text (with and without user-written tags), its categories and its raw price. */
type TItemText = { text: string; textWithoutTags: string; categories: string[]; price: number | null };
type TContentCase = { dataset: string; log: TInteractionLog; items: Map<string, TItemText> };

const log = (message: string) => process.stderr.write(`[recsys content] ${message}\n`);
const round = (v: number) => Math.round(v * 1e4) / 1e4;
const lines = (file: string) =>
  readFileSync(file, "latin1")
    .split(/\r?\n/)
    .filter((line) => line !== "");

const mlLatestSmall = (): TContentCase | undefined => {
  const dir = path.join(DATASETS, "ml-latest-small");
  if (!existsSync(path.join(dir, "movies.csv"))) return undefined;
  const tags = new Map<string, string[]>();
  for (const line of lines(path.join(dir, "tags.csv")).slice(1)) {
    const [, movie, tag] = csvFields(line);
    tags.set(movie!, [...(tags.get(movie!) ?? []), tag!]);
  }
  const items = new Map<string, TItemText>();
  for (const line of lines(path.join(dir, "movies.csv")).slice(1)) {
    const [id, title, genres] = csvFields(line);
    const categories = genres === "(no genres listed)" ? [] : genres!.split("|");
    const base = `${title}. ${categories.join(" ")}`;
    items.set(id!, {
      text: `${base}. ${(tags.get(id!) ?? []).join(" ")}`,
      textWithoutTags: base,
      categories,
      price: null,
    });
  }
  const rows = lines(path.join(dir, "ratings.csv"))
    .slice(1)
    .map((line) => {
      const [user, item, , ts] = line.split(",");
      return { user: user!, item: item!, weight: 1, timestamp: Number(ts) };
    });
  return { dataset: "ml-latest-small", log: buildInteractionLog(rows), items };
};

const movielens100k = (): TContentCase | undefined => {
  const dir = path.join(DATASETS, "movielens-100k");
  if (!existsSync(path.join(dir, "u.item"))) return undefined;
  const genres = lines(path.join(dir, "u.genre")).map((line) => line.split("|")[0]!);
  const items = new Map<string, TItemText>();
  for (const line of lines(path.join(dir, "u.item"))) {
    const cells = line.split("|");
    const categories = cells.slice(5).flatMap((flag, g) => (flag === "1" ? [genres[g]!] : []));
    const text = `${cells[1]}. ${categories.join(" ")}`;
    items.set(cells[0]!, { text, textWithoutTags: text, categories, price: null });
  }
  const rows = lines(path.join(dir, "u.data")).map((line) => {
    const [user, item, , ts] = line.split("\t");
    return { user: user!, item: item!, weight: 1, timestamp: Number(ts) };
  });
  return { dataset: "movielens-100k", log: buildInteractionLog(rows), items };
};

/** The demo shop the product imports (its default seed): events weighted by type as training does. */
const demoShop = (): TContentCase => {
  const shop = generateDemoShop();
  const items = new Map<string, TItemText>();
  for (const p of shop.products) {
    if (items.has(p.item_id)) continue;
    const text = `${p.title ?? ""}. ${p.description ?? ""}`;
    items.set(p.item_id, {
      text,
      textWithoutTags: text,
      categories: [p.category, `brand:${p.brand}`],
      price: p.price,
    });
  }
  const rows = shop.events.flatMap((e) =>
    e.user_id && items.has(e.item_id)
      ? [{ user: e.user_id, item: e.item_id, weight: eventWeightOf(DEFAULT_EVENT_WEIGHTS, e.event_type) }]
      : [],
  );
  return { dataset: "demo-shop", log: buildInteractionLog(rows), items };
};

/**
 * The product's fusion of the items' text embedding (lexical embedder fitted on the corpus), first
 * category one-hot, further categories hashed as attributes, log price, and popularity counted on
 * `train` only. Rows follow the log's items; `heldOut` items get their text without tags.
 */
const fuse = async (
  c: TContentCase,
  train: TCsrMatrix,
  heldOut: Set<number> = new Set(),
): Promise<TItemFeatures> => {
  const ids = c.log.itemIds;
  const texts = ids.map((id, i) => {
    const item = c.items.get(id);
    return item ? (heldOut.has(i) ? item.textWithoutTags : item.text) : "";
  });
  const embedder = createLexicalEmbedder(texts, { dimension: 128 });
  const vectors = await embedder.embed(texts);
  const data = new Float32Array(ids.length * embedder.dimension);
  vectors.forEach((v, i) => {
    data.set(v, i * embedder.dimension);
  });
  const counts = new Float64Array(ids.length);
  for (const item of train.indices) counts[item]!++;
  const items: TFusionItem[] = ids.map((id, i) => {
    const categories = c.items.get(id)?.categories ?? [];
    return {
      id,
      category: categories[0] ?? null,
      attributes: Object.fromEntries(categories.slice(1).map((name) => [name, "1"])),
      price: c.items.get(id)?.price ?? null,
      popularity: counts[i]!,
    };
  });
  const recipe = ZFusionRecipe.parse({ catalogVersionId: "00000000-0000-4000-8000-000000000000" });
  const index = new Map(ids.map((id, i) => [id, i]));
  const fused = fuseItems(items, { index, data, dimension: embedder.dimension }, recipe);
  return { data: fused.data, rows: ids.length, dimension: fused.dimension };
};

const metricsOf = (e: TEvaluation) => ({
  [`recall@${K}`]: round(e.recall),
  [`ndcg@${K}`]: round(e.ndcg),
  [`mrr@${K}`]: round(e.mrr),
  [`hit@${K}`]: round(e.hit),
  [`precision@${K}`]: round(e.precision),
  coverage: round(e.coverage),
});

const timed = <T>(run: () => T): { value: T; seconds: number } => {
  const started = performance.now();
  const value = run();
  return { value, seconds: round((performance.now() - started) / 1000) };
};

/** Warm-start rows: every model selected on validation, measured on test (RecBole's random 8:1:1). */
const warmRows = async (c: TContentCase): Promise<TBenchRow[]> => {
  const split = randomSplitPerUser(c.log, SEED);
  const train = matrixFromLog(c.log, split.train);
  const valid = matrixFromLog(c.log, split.valid);
  const test = matrixFromLog(c.log, split.test);
  const features = await fuse(c, train);
  const evaluate = (scorer: TScorer, phase: "valid" | "test") =>
    evaluateFullRanking({
      scorer,
      history: train,
      exclude: phase === "valid" ? [train] : [train, valid],
      target: phase === "valid" ? valid : test,
      k: K,
    });
  const protocol = "recbole-rs-8-1-1-full";
  const rows: TBenchRow[] = [];
  const select = (
    algorithm: string,
    grid: Record<string, number>[],
    fitModel: (p: Record<string, number>) => TScorer,
  ) => {
    let best: { p: Record<string, number>; scorer: TScorer; ndcg: number; seconds: number } | null = null;
    for (const p of grid) {
      const { value: scorer, seconds } = timed(() => fitModel(p));
      const ndcg = evaluate(scorer, "valid").ndcg;
      if (!best || ndcg > best.ndcg) best = { p, scorer, ndcg, seconds };
    }
    const row = {
      dataset: c.dataset,
      protocol,
      algorithm,
      params: best!.p,
      trainSeconds: best!.seconds,
      validationNdcg: round(best!.ndcg),
      metrics: metricsOf(evaluate(best!.scorer, "test")),
    };
    rows.push(row);
    log(`${c.dataset} ${algorithm}: test NDCG@10 ${row.metrics[`ndcg@${K}`]}`);
    return best!;
  };
  select("Popularity", [{}], () => fitPopularity(train));
  const knn = select("ItemKNN", [{ k: 100, shrink: 10 }], (p) =>
    fitItemKnn(train, { k: p.k!, shrink: p.shrink! }),
  );
  select("RP3beta", [{ alpha: 1, beta: 0.5, k: 100 }], (p) =>
    fitRp3beta(train, { alpha: p.alpha!, beta: p.beta!, k: p.k! }),
  );
  const content = select(
    "CONTENT_RIDGE",
    LAMBDAS.map((lambda) => ({ lambda })),
    (p) => fitContentRidge(train, features, p.lambda!),
  );
  // The blend the HYBRID path serves: each part standardised per user, weights chosen on validation.
  select(
    "HYBRID(CONTENT_RIDGE+ItemKNN)",
    [0.25, 0.5, 1, 2].map((wContent) => ({ wContent, wNeighbours: 1 })),
    (p) => fitHybrid([content.scorer, knn.scorer], [p.wContent!, p.wNeighbours!]),
  );
  return rows;
};

/** The new-item protocol: CONTENT_RIDGE, popularity restricted to the new items, and a random ranking. */
const newItemRows = async (c: TContentCase): Promise<TBenchRow[]> => {
  const held = newItemSplit(c.log, NEW_ITEM_SHARE, SEED);
  const heldTrain = matrixFromLog(c.log, held.train);
  const features = await fuse(c, heldTrain, new Set(held.items));
  const { value: result, seconds } = timed(() =>
    evaluateNewItems({
      log: c.log,
      split: held,
      k: K,
      fit: (train) => fitContentRidge(train, features, LAMBDAS[1]!),
    }),
  );
  const protocol = `new-items-${NEW_ITEM_SHARE * 100}pct-held-out`;
  const recall = result.model.recall;
  const rows: TBenchRow[] = [
    {
      dataset: c.dataset,
      protocol,
      algorithm: "CONTENT_RIDGE",
      params: { lambda: LAMBDAS[1] },
      trainSeconds: seconds,
      newItems: result.items,
      users: result.users,
      metrics: metricsOf(result.model),
      vsRandom: round(recall / result.randomRecall),
      vsPopularityRestricted: result.popularity.recall > 0 ? round(recall / result.popularity.recall) : null,
    },
    {
      dataset: c.dataset,
      protocol,
      algorithm: "Popularity restricted to the new items (after the fact)",
      note: "ranks held-out items by the interactions they received while held out: no model has those on day one",
      metrics: metricsOf(result.popularity),
    },
    {
      dataset: c.dataset,
      protocol,
      algorithm: "Random ranking of the new items",
      metrics: { [`recall@${K}`]: round(result.randomRecall) },
    },
  ];
  log(
    `${c.dataset} new items: CONTENT_RIDGE Recall@10 ${round(recall)}, random ${round(result.randomRecall)}, popularity after the fact ${round(result.popularity.recall)}`,
  );
  return rows;
};

/**
 * SGD against the closed form on movielens-100k's training split: the objective after each epoch
 * relative to the closed form's (goal: within 0.1%), and both fit times.
 */
const sgdRow = async (c: TContentCase): Promise<TBenchRow> => {
  const split = randomSplitPerUser(c.log, SEED);
  const train = matrixFromLog(c.log, split.train);
  const features = await fuse(c, train);
  const lambda = LAMBDAS[1]!;
  const problem = ridgeProblem(train, features, lambda);
  const closed = timed(() => fitContentRidge(train, features, lambda));
  const optimum = ridgeObjective(problem, closed.value.weights);
  const params = { lambda, epochs: 60, batchSize: 32, learningRate: 0.3, decay: 0.1 };
  const started = performance.now();
  const { runEpoch } = createContentRidgeSgdTrainer(train, features, params, SEED);
  const curve: number[] = [];
  for (let epoch = 0; epoch < params.epochs; epoch++) curve.push(runEpoch());
  const sgdSeconds = (performance.now() - started) / 1000;
  const gap = (curve[curve.length - 1]! - optimum) / optimum;
  const firstWithin = curve.findIndex((loss) => (loss - optimum) / optimum <= 0.001);
  log(
    `${c.dataset} SGD: objective ${(gap * 100).toFixed(3)}% above the closed form after ${params.epochs} epochs`,
  );
  return {
    dataset: c.dataset,
    protocol: "objective-on-training-split",
    algorithm: "CONTENT_RIDGE SGD vs closed form",
    params,
    closedFormObjective: optimum,
    sgdObjective: curve[curve.length - 1],
    gapPercent: round(gap * 100),
    firstEpochWithin0_1Percent: firstWithin >= 0 ? firstWithin + 1 : null,
    closedFormSeconds: closed.seconds,
    sgdSeconds: round(sgdSeconds),
    lossCurve: curve.filter((_, e) => e % 5 === 4).map(round),
    goal: "SGD objective within 0.1% of the closed form's",
    met: gap <= 0.001,
  };
};

export const contentRows = async (datasets: Set<string> | undefined): Promise<TBenchRow[]> => {
  const rows: TBenchRow[] = [];
  const cases: [string, () => TContentCase | undefined][] = [
    ["movielens-100k", movielens100k],
    ["ml-latest-small", mlLatestSmall],
    ["demo-shop", demoShop],
  ];
  for (const [name, load] of cases) {
    if (datasets && !datasets.has(name)) continue;
    const c = load();
    if (!c) {
      log(`${name} missing in ${DATASETS}: skipped`);
      continue;
    }
    rows.push(...(await warmRows(c)), ...(await newItemRows(c)));
    if (name === "movielens-100k") rows.push(await sgdRow(c));
  }
  return rows;
};
