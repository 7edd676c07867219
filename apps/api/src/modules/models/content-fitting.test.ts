import { ArtifactScorer } from "@dam/recsys/artifact-scorer";
import { fitContentRidge } from "@dam/recsys/content-ridge";
import { buildInteractionLog, matrixFromLog } from "@dam/recsys/interaction-log";
import { decodeModelArtifact, encodeModelArtifact } from "@dam/recsys/model-artifact";
import { createRng } from "@dam/recsys/prng";
import { describe, expect, it } from "vitest";
import type { TContentFeatures } from "./content-fitting.ts";
import { fitAndEvaluate, TrainingInputError } from "./model-fitting.ts";
import { parseAlgorithmParams, type TTrainableAlgorithm, ZTrainingOptions } from "./model-params.ts";

// Four taste groups of 10 items (+ 2 items per group nobody touched): each user interacts with 8 random
// items of their own group. The features say which group an item is in (a one-hot "category" block)
// plus a noise block, so the content model can rank a user's group, including the untouched items.
const GROUPS = 4;
const plantedLog = () => {
  const rng = createRng(7);
  const rows: { user: string; item: string; weight: number; timestamp: number }[] = [];
  for (let u = 0; u < 80; u++) {
    const group = u % GROUPS;
    const items = Array.from({ length: 10 }, (_, i) => group * 10 + i).sort(() => rng() - 0.5);
    items.slice(0, 8).forEach((item, n) => {
      rows.push({ user: `u${u}`, item: `i${item}`, weight: 1, timestamp: n });
    });
  }
  return buildInteractionLog(rows);
};

const plantedFeatures = (): TContentFeatures => {
  const rng = createRng(3);
  const ids = [
    ...Array.from({ length: 40 }, (_, i) => `i${i}`),
    ...Array.from({ length: 8 }, (_, n) => `new${n}`),
  ];
  const d = GROUPS + 2;
  const data = new Float32Array(ids.length * d);
  ids.forEach((id, row) => {
    const group = id.startsWith("new") ? Number(id.slice(3)) % GROUPS : Math.floor(Number(id.slice(1)) / 10);
    data[row * d + group] = 1;
    data[row * d + GROUPS] = (rng() - 0.5) * 0.2;
    data[row * d + GROUPS + 1] = (rng() - 0.5) * 0.2;
  });
  return {
    setId: "00000000-0000-4000-8000-000000000001",
    source: "FEATURE_SET",
    ids,
    data,
    dimension: d,
    blocks: [
      { name: "category", offset: 0, width: GROUPS },
      { name: "text", offset: GROUPS, width: 2 },
    ],
    popularity: null,
  };
};

const fit = async (algorithm: TTrainableAlgorithm, raw: unknown, withFeatures = true) => {
  const params = parseAlgorithmParams(algorithm, raw);
  if (!params.ok) throw new Error(params.message);
  return fitAndEvaluate({
    log: plantedLog(),
    timed: true,
    algorithm,
    params: params.params,
    protocol: "RANDOM_8_1_1",
    options: ZTrainingOptions.parse({}),
    hooks: { onProgress: async () => {} },
    features: withFeatures ? plantedFeatures() : null,
  });
};

describe("CONTENT_RIDGE training", () => {
  it("selects lambda on validation, beats popularity, scores new items and stores a content section", async () => {
    const result = await fit("CONTENT_RIDGE", { lambda: [0.001, 0.01, 10] });
    expect([0.001, 0.01]).toContain(result.selected.lambda);
    expect(result.test.ndcg).toBeGreaterThan(result.baseline.test.ndcg * 1.5);
    // The 8 feature-only items are in the artifact, after the log's 40.
    expect(result.artifact.itemIds).toHaveLength(48);
    expect(result.itemsWithoutFeatures).toBe(0);
    const decoded = decodeModelArtifact(encodeModelArtifact(result.artifact));
    expect(decoded.content?.blocks.map((b) => b.name)).toEqual(["category", "text"]);
    expect(decoded.content?.n).toBe(48);
    // New-item protocol: 4 items held out, so any ranking finds them in the top 10 (random recall 1);
    // the features put the user's own group's held-out item first.
    expect(result.newItems!.items).toBe(4);
    expect(result.newItems!.randomRecall).toBe(1);
    expect(result.newItems!.model.mrr).toBeGreaterThan(0.9);
    // Served: the fold-in of a trained user's history reproduces the trained column of W, and a
    // new item of the user's group outranks the other groups' new items, for the category block.
    const scorer = new ArtifactScorer(decoded);
    const user = decoded.userIds.indexOf("u1");
    const log = plantedLog();
    const all = matrixFromLog(log);
    const items = Int32Array.from(all.indices.subarray(all.indptr[user]!, all.indptr[user + 1]!));
    const folded = scorer.contentVector(user, { items, weights: new Float32Array(items.length).fill(1) });
    const trained = scorer.contentVector(user, { items: new Int32Array(0), weights: new Float32Array(0) });
    folded.forEach((v, k) => {
      expect(v).toBeCloseTo(trained[k]!, 4);
    });
    const newItems = new Set(decoded.itemIds.flatMap((id, i) => (id.startsWith("new") ? [i] : [])));
    const answer = scorer.recommend({
      user,
      history: { items, weights: new Float32Array(items.length).fill(1) },
      first: 2,
      allow: (i) => newItems.has(i),
    });
    expect(answer.source).toBe("CONTENT_FOLD_IN");
    // u1 is in group 1: new1 and new5 are that group's new items.
    expect(answer.items.map((s) => decoded.itemIds[s.item]).sort()).toEqual(["new1", "new5"]);
    expect(answer.items[0]!.reasons[0]).toMatchObject({ kind: "FEATURE_BLOCK", block: 0 });
  });

  it("fits by SGD epoch by epoch with a falling loss near the closed form's objective", async () => {
    const result = await fit("CONTENT_RIDGE", {
      lambda: 0.01,
      solver: "sgd",
      epochs: 60,
      learningRate: 0.3,
      batchSize: 8,
    });
    expect(result.curves.length).toBe(60);
    expect(result.curves[59]!.loss).toBeLessThan(result.curves[0]!.loss);
    expect(result.test.ndcg).toBeGreaterThan(result.baseline.test.ndcg);
  });

  it("refuses to train without features", async () => {
    await expect(fit("CONTENT_RIDGE", {}, false)).rejects.toThrow(TrainingInputError);
  });

  it("closed form and the artifact's fold-in agree on scores", () => {
    const log = plantedLog();
    const features = plantedFeatures();
    const x = { data: features.data.slice(0, 40 * 6), rows: 40, dimension: 6 };
    const model = fitContentRidge(matrixFromLog(log), x, 0.01);
    const out = new Float32Array(40);
    model.scoreUser(0, matrixFromLog(log), out);
    expect(Math.max(...out.subarray(0, 10))).toBeGreaterThan(Math.max(...out.subarray(10)));
  });
});

describe("HYBRID with the content model", () => {
  it("blends CONTENT_RIDGE with ALS and item-kNN, weights chosen on validation, served with feature reasons", async () => {
    const result = await fit("HYBRID", {
      factors: 8,
      iterations: 3,
      k: 20,
      wFactors: [0, 1],
      wNeighbours: 1,
      wContent: [0, 1],
    });
    expect([0, 1]).toContain(result.selected.wContent);
    expect(result.test.ndcg).toBeGreaterThan(result.baseline.test.ndcg * 1.5);
    expect(result.newItems).toBeNull();
    const decoded = decodeModelArtifact(encodeModelArtifact(result.artifact));
    expect(decoded.blend?.content ?? 0).toBe(result.selected.wContent);
    if (result.selected.wContent === 1) {
      expect(decoded.content?.item).toHaveLength(48 * 6);
      expect(decoded.content?.user).toHaveLength(80 * 6);
    }
    // Forced to the content part alone, the served blend ranks the user's group first with block reasons.
    const contentOnly = await fit("HYBRID", {
      factors: 4,
      iterations: 1,
      wFactors: 0,
      wNeighbours: 0,
      wContent: 1,
    });
    const scorer = new ArtifactScorer(decodeModelArtifact(encodeModelArtifact(contentOnly.artifact)));
    const answer = scorer.recommend({
      user: 1,
      history: { items: new Int32Array(0), weights: new Float32Array(0) },
      first: 3,
    });
    expect(answer.source).toBe("HYBRID");
    expect(answer.items.some((item) => item.reasons.some((r) => r.kind === "FEATURE_BLOCK"))).toBe(true);
  });

  it("needs features when the content part may get weight", async () => {
    await expect(fit("HYBRID", { wContent: [0, 1] }, false)).rejects.toThrow(/needs item features/);
  });
});

describe("RP3BETA and SAR training", () => {
  it.each([
    ["RP3BETA", { alpha: 1, beta: [0, 0.5], k: 20 }],
    ["SAR", { similarity: "jaccard", artifactNeighbours: 20 }],
  ] as const)(
    "%s beats popularity and stores a neighbour table without self-links",
    async (algorithm, params) => {
      const result = await fit(algorithm, params, false);
      expect(result.test.ndcg).toBeGreaterThan(result.baseline.test.ndcg * 1.5);
      const { neighbours } = result.artifact;
      expect(neighbours).toBeDefined();
      for (let i = 0; i < result.artifact.itemIds.length; i++) {
        for (let t = 0; t < neighbours!.k; t++) expect(neighbours!.index[i * neighbours!.k + t]).not.toBe(i);
      }
    },
  );

  it("rejects an unknown SAR similarity with the field named", () => {
    const parsed = parseAlgorithmParams("SAR", { similarity: "cosine" });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/params\.similarity/);
  });
});
