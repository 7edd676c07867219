import { buildInteractionLog } from "@dam/recsys/interaction-log";
import { decodeModelArtifact, encodeModelArtifact } from "@dam/recsys/model-artifact";
import { createRng } from "@dam/recsys/prng";
import { describe, expect, it } from "vitest";
import { fitAndEvaluate, TrainingInputError } from "./model-fitting.ts";
import {
  expandGrid,
  parseAlgorithmParams,
  type TTrainableAlgorithm,
  ZTrainingOptions,
} from "./model-params.ts";

// Four taste groups of 10 items; each user interacts with 8 random items of their own group, so a
// personalised model can find the user's remaining group items and popularity cannot.
const plantedLog = () => {
  const rng = createRng(7);
  const rows: { user: string; item: string; weight: number; timestamp: number }[] = [];
  for (let u = 0; u < 80; u++) {
    const group = u % 4;
    const items = Array.from({ length: 10 }, (_, i) => group * 10 + i).sort(() => rng() - 0.5);
    items.slice(0, 8).forEach((item, n) => {
      rows.push({ user: `u${u}`, item: `i${item}`, weight: 1, timestamp: n });
    });
  }
  return buildInteractionLog(rows);
};

const fit = async (algorithm: TTrainableAlgorithm, raw: unknown, progress: number[] = []) => {
  const params = parseAlgorithmParams(algorithm, raw);
  if (!params.ok) throw new Error(params.message);
  return fitAndEvaluate({
    log: plantedLog(),
    timed: true,
    algorithm,
    params: params.params,
    protocol: "RANDOM_8_1_1",
    options: ZTrainingOptions.parse({}),
    hooks: {
      onProgress: async (percent) => {
        progress.push(percent);
      },
    },
  });
};

describe("fitAndEvaluate", () => {
  it("fits popularity: test metrics, no curve, a popularity-only artifact that round-trips", async () => {
    const result = await fit("POP", {});
    expect(result.protocol).toBe("recbole-rs-8-1-1-full");
    expect(result.curves).toEqual([]);
    expect(result.test.users).toBe(80);
    expect(result.artifact.factors).toBeUndefined();
    expect(result.artifact.itemIds).toHaveLength(40);
    const decoded = decodeModelArtifact(encodeModelArtifact(result.artifact));
    expect(decoded.algorithm).toBe("POP");
    expect(Array.from(decoded.popularity)).toEqual(Array.from(result.artifact.popularity));
  });

  it("fits ALS epoch by epoch with loss and validation NDCG, keeps the best epoch, beats popularity", async () => {
    const progress: number[] = [];
    const als = await fit("ALS", { factors: 8, iterations: 6, regularization: 0.1, alpha: 5 }, progress);
    const pop = await fit("POP", {});
    expect(als.curves.map((point) => point.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const point of als.curves) {
      expect(Number.isFinite(point.loss)).toBe(true);
      expect(point.ndcg).not.toBeNull();
    }
    // ALS's objective never increases (each half-step minimises it exactly up to the CG tolerance).
    expect(als.curves[5]!.loss).toBeLessThan(als.curves[0]!.loss);
    const bestEpoch = als.curves.reduce((a, b) => (b.ndcg! > a.ndcg! ? b : a)).epoch;
    expect(als.selected.iterations).toBe(bestEpoch);
    expect(als.validation.ndcg).toBeCloseTo(Math.max(...als.curves.map((p) => p.ndcg!)), 10);
    expect(als.test.ndcg).toBeGreaterThan(2 * pop.test.ndcg);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
    const artifact = decodeModelArtifact(encodeModelArtifact(als.artifact));
    expect(artifact.factors?.dim).toBe(8);
    expect(artifact.factors?.user.length).toBe(80 * 8);
  });

  it("searches a grid on validation and reports the chosen point", async () => {
    const result = await fit("ITEMKNN", { k: [1, 20], shrink: 0 });
    expect([1, 20]).toContain(result.selected.k);
    expect(result.artifact.neighbours?.k).toBe(result.selected.k);
    // Within a group every item co-occurs with the others, so a neighbour is always from the same group.
    const { index, k } = result.artifact.neighbours!;
    const groupOf = (item: number) => Math.floor(Number(result.artifact.itemIds[item]!.slice(1)) / 10);
    for (let i = 0; i < result.artifact.itemIds.length; i++) {
      expect(groupOf(index[i * k]!)).toBe(groupOf(i));
    }
  });

  it("sparsifies EASE into neighbour rows of its largest weights", async () => {
    const result = await fit("EASE", { lambda: 10, artifactNeighbours: 5 });
    const { index, weight, k } = result.artifact.neighbours!;
    expect(k).toBe(5);
    for (let i = 0; i < 40; i++) {
      const row = Array.from(weight.subarray(i * k, i * k + k));
      expect(row).toEqual([...row].sort((a, b) => b - a));
      expect(Array.from(index.subarray(i * k, i * k + k))).not.toContain(i);
    }
  });

  it("passes EASE's popularity damping through to the served weights: column j divided by pop_j^b", async () => {
    const plain = await fit("EASE", { lambda: 10, artifactNeighbours: 39 });
    const damped = await fit("EASE", { lambda: 10, artifactNeighbours: 39, popularityExponent: 1 });
    // The artifact is fitted on all the data: pop_j = users of item j in the whole log.
    const log = plantedLog();
    const users = new Map<string, number>();
    for (let e = 0; e < log.items.length; e++) {
      const id = log.itemIds[log.items[e]!]!;
      users.set(id, (users.get(id) ?? 0) + 1);
    }
    const rowOf = (result: typeof plain, item: number) => {
      const { index, weight, k } = result.artifact.neighbours!;
      const row = new Map<number, number>();
      for (let t = 0; t < k; t++)
        if (index[item * k + t]! >= 0) row.set(index[item * k + t]!, weight[item * k + t]!);
      return row;
    };
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const before = rowOf(plain, i);
      for (const [j, w] of rowOf(damped, i)) {
        const pop = users.get(damped.artifact.itemIds[j]!)!;
        expect(w).toBeCloseTo(before.get(j)! / pop, 5);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40 * 30);
  });

  it("chooses EASE's normalisation exponents on validation when given a grid", async () => {
    const result = await fit("EASE", {
      lambda: 10,
      userWeightExponent: [0, 0.5],
      popularityExponent: [0, 0.2],
    });
    expect([0, 0.5]).toContain(result.selected.userWeightExponent);
    expect([0, 0.2]).toContain(result.selected.popularityExponent);
  });

  it("blends ALS, item-kNN and popularity for HYBRID, weights chosen on validation", async () => {
    const result = await fit("HYBRID", {
      factors: 8,
      iterations: 3,
      regularization: 0.1,
      alpha: 5,
      k: 10,
      wFactors: [0, 1],
    });
    expect([0, 1]).toContain(result.selected.wFactors);
    expect(result.curves).toHaveLength(3);
    const artifact = decodeModelArtifact(encodeModelArtifact(result.artifact));
    expect(artifact.algorithm).toBe("HYBRID");
    expect(artifact.factors?.dim).toBe(8);
    expect(artifact.neighbours?.k).toBe(10);
    expect(artifact.blend).toEqual({ factors: result.selected.wFactors, neighbours: 1, popularity: 0 });
    const pop = await fit("POP", {});
    expect(result.test.ndcg).toBeGreaterThan(2 * pop.test.ndcg);
  });

  it("refuses a chronological protocol without times, and too little data", async () => {
    const params = parseAlgorithmParams("POP", {});
    if (!params.ok) throw new Error(params.message);
    const base = {
      log: plantedLog(),
      algorithm: "POP" as const,
      params: params.params,
      options: ZTrainingOptions.parse({}),
      hooks: { onProgress: async () => {} },
    };
    await expect(fitAndEvaluate({ ...base, timed: false, protocol: "LEAVE_LAST_OUT" })).rejects.toThrow(
      /needs a time for every event/,
    );
    const tiny = buildInteractionLog([{ user: "a", item: "x", weight: 1 }]);
    await expect(
      fitAndEvaluate({ ...base, log: tiny, timed: true, protocol: "RANDOM_8_1_1" }),
    ).rejects.toThrow(TrainingInputError);
  });
});

describe("parseAlgorithmParams", () => {
  it("fills defaults, names the bad field, caps the grid", () => {
    expect(parseAlgorithmParams("ALS", {})).toMatchObject({
      ok: true,
      params: { factors: 32, iterations: 10 },
    });
    expect(parseAlgorithmParams("BPR", { learningRate: -1 })).toEqual({
      ok: false,
      message: expect.stringContaining("params.learningRate"),
    });
    expect(parseAlgorithmParams("POP", { lambda: 1 })).toMatchObject({ ok: false });
    const big = parseAlgorithmParams("ITEMKNN", { k: [1, 2, 3, 4], shrink: [0, 1, 2, 3] });
    expect(big).toEqual({ ok: false, message: expect.stringContaining("16 combinations") });
    expect(expandGrid({ a: [1, 2], b: 3 })).toEqual([
      { a: 1, b: 3 },
      { a: 2, b: 3 },
    ]);
  });
});

describe("offline comparison that matches serving", () => {
  const run = (extra: { excluded?: Uint8Array; userSegment?: Int32Array; segmentCount?: number }) => {
    const params = parseAlgorithmParams("POP", {});
    if (!params.ok) throw new Error(params.message);
    return fitAndEvaluate({
      log: plantedLog(),
      timed: true,
      algorithm: "POP",
      params: params.params,
      protocol: "RANDOM_8_1_1",
      options: ZTrainingOptions.parse({}),
      hooks: { onProgress: async () => undefined },
      ...extra,
    });
  };

  it("reports the served popularity as the baseline: segment popularity when segments exist", async () => {
    const plain = await run({});
    expect(plain.baseline.algorithm).toBe("POPULARITY");
    // Without segments the baseline is the POP model itself, on the same split.
    expect(plain.baseline.test.ndcg).toBeCloseTo(plain.test.ndcg, 10);
    // The planted taste groups as segments: each user's group's items rank first, as served.
    const groups = Int32Array.from({ length: 80 }, (_, u) => u % 4);
    const segmented = await run({ userSegment: groups, segmentCount: 4 });
    expect(segmented.baseline.algorithm).toBe("SEGMENT_POPULARITY");
    expect(segmented.baseline.test.ndcg).toBeGreaterThan(2 * plain.baseline.test.ndcg);
  });

  it("leaves out only the pairs of excluded types, and records the types in the artifact", async () => {
    const log = plantedLog();
    const all = await run({ excluded: new Uint8Array(log.users.length).fill(1) });
    const none = await run({ excluded: new Uint8Array(log.users.length) });
    // Items seen in training but not of an excluded type stay rankable and take slots from held-out items.
    expect(none.test.recall).toBeLessThan(all.test.recall);
    expect(all.artifact.params.excludeSeenTypes).toEqual(["purchase"]);
  });
});
