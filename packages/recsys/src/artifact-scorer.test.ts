import { describe, expect, it } from "vitest";
import { ArtifactScorer, emptyHistory, type THistory } from "./artifact-scorer.ts";
import type { TModelArtifact } from "./model-artifact.ts";
import { createRng } from "./prng.ts";

const history = (items: number[], weights = items.map(() => 1)): THistory => ({
  items: Int32Array.from(items),
  weights: Float32Array.from(weights),
});

// Two clusters of items on orthogonal axes: items 0-2 on factor 0, items 3-5 on factor 1.
const factorModel = (): TModelArtifact => ({
  algorithm: "ALS",
  itemIds: ["a0", "a1", "a2", "b0", "b1", "b2"],
  userIds: ["likes-a", "likes-b"],
  popularity: Float32Array.from([1, 2, 3, 10, 20, 30]),
  factors: {
    dim: 2,
    user: Float32Array.from([1, 0, 0, 1]),
    item: Float32Array.from([1, 0, 0.9, 0, 0.8, 0.05, 0, 1, 0.05, 0.9, 0, 0.8]),
  },
  params: { alpha: 10, lambda: 0.1 },
});

describe("ArtifactScorer with a factor model", () => {
  it("scores a trained user by their vector, excluding and filtering", () => {
    const scorer = new ArtifactScorer(factorModel());
    const answer = scorer.recommend({ user: 1, history: emptyHistory(), first: 2, exclude: new Set([3]) });
    expect(answer.source).toBe("FACTORS_USER");
    expect(answer.items.map((r) => r.item)).toEqual([4, 5]);
    expect(answer.items[0]!.reasons[0]).toEqual({
      kind: "LATENT_FACTOR",
      factor: 1,
      weight: expect.closeTo(0.9, 6),
    });
    const filtered = scorer.recommend({ user: 1, history: emptyHistory(), first: 2, allow: (i) => i !== 4 });
    expect(filtered.items.map((r) => r.item)).toEqual([3, 5]);
  });

  it("folds a new user's clicks into a vector whose score splits exactly into the clicked items", () => {
    const scorer = new ArtifactScorer(factorModel());
    const before = scorer.recommend({ user: -1, history: emptyHistory(), first: 3 });
    expect(before.source).toBe("POPULARITY");
    expect(before.items.map((r) => r.item)).toEqual([5, 4, 3]);
    const after = scorer.recommend({
      user: -1,
      history: history([0, 1]),
      first: 2,
      exclude: new Set([0, 1]),
    });
    expect(after.source).toBe("FACTORS_FOLD_IN");
    expect(after.items[0]!.item).toBe(2);
    // No prior for a new user: the score is the sum of the per-history-item terms.
    const top = after.items[0]!;
    const sum = top.reasons.reduce((s, r) => s + r.weight, 0);
    expect(top.reasons.every((r) => r.kind === "HISTORY_ITEM")).toBe(true);
    expect(sum).toBeCloseTo(top.score, 5);
  });

  it("matches the closed-form ridge solution for one click", () => {
    // A = Y^T Y + alpha y y^T + lambda I; x = A^-1 (1 + alpha) y (p = 1 on the clicked item).
    const model = factorModel();
    const scorer = new ArtifactScorer(model);
    const y = [1, 0];
    let g00 = 0;
    let g01 = 0;
    let g11 = 0;
    for (let i = 0; i < 6; i++) {
      const p = model.factors!.item[2 * i]!;
      const q = model.factors!.item[2 * i + 1]!;
      g00 += p * p;
      g01 += p * q;
      g11 += q * q;
    }
    const a00 = g00 + 10 * y[0]! * y[0]! + 0.1;
    const a11 = g11 + 0.1;
    const det = a00 * a11 - g01 * g01;
    const x0 = (11 * (a11 * y[0]! - g01 * y[1]!)) / det;
    const x1 = (11 * (-g01 * y[0]! + a00 * y[1]!)) / det;
    const answer = scorer.recommend({ user: -1, history: history([0]), first: 6 });
    const item2 = answer.items.find((r) => r.item === 2)!;
    expect(item2.score).toBeCloseTo(x0 * 0.8 + x1 * 0.05, 5);
  });
});

describe("ArtifactScorer with a neighbour model", () => {
  const model: TModelArtifact = {
    algorithm: "ITEMKNN",
    itemIds: ["i0", "i1", "i2", "i3"],
    userIds: [],
    popularity: Float32Array.from([4, 3, 2, 1]),
    neighbours: {
      k: 2,
      index: Int32Array.from([1, 2, 0, 3, 3, -1, 1, 2]),
      weight: Float32Array.from([0.9, 0.2, 0.9, 0.5, 0.7, 0, 0.5, 0.7]),
    },
    params: { k: 2 },
  };

  it("sums neighbour weights over the session and names the items that contributed", () => {
    const scorer = new ArtifactScorer(model);
    const answer = scorer.recommend({
      user: -1,
      history: history([0, 1]),
      first: 3,
      exclude: new Set([0, 1]),
    });
    expect(answer.source).toBe("NEIGHBOURS_HISTORY");
    // i2: 0.2 (from i0); i3: 0.5 (from i1).
    expect(answer.items.map((r) => [r.item, Number(r.score.toFixed(4))])).toEqual([
      [3, 0.5],
      [2, 0.2],
    ]);
    expect(answer.items[0]!.reasons).toEqual([
      { kind: "HISTORY_ITEM", item: 1, weight: expect.closeTo(0.5, 6) },
    ]);
  });

  it("falls back to popularity for a user with nothing, and gives an item's neighbour row as similar", () => {
    const scorer = new ArtifactScorer(model);
    expect(
      scorer.recommend({ user: -1, history: emptyHistory(), first: 2 }).items.map((r) => r.item),
    ).toEqual([0, 1]);
    expect(scorer.similarItems(1, 5).map((r) => r.item)).toEqual([0, 3]);
  });
});

describe("ArtifactScorer over HNSW", () => {
  it("answers as the exact scan does on 3,000 random items (recall of the top 10 >= 0.9)", async () => {
    const dim = 16;
    const n = 3000;
    const rng = createRng(7);
    const item = Float32Array.from({ length: n * dim }, () => rng() - 0.5);
    const user = Float32Array.from({ length: 20 * dim }, () => rng() - 0.5);
    const model: TModelArtifact = {
      algorithm: "BPR",
      itemIds: Array.from({ length: n }, (_, i) => `i${i}`),
      userIds: Array.from({ length: 20 }, (_, u) => `u${u}`),
      popularity: new Float32Array(n),
      factors: { dim, user, item },
      params: {},
    };
    const exact = new ArtifactScorer(model);
    const ann = new ArtifactScorer(model, { annMinItems: 1000 });
    expect(ann.usesAnn).toBe(true);
    await ann.buildAnn(5);
    expect(ann.annReady).toBe(true);
    let hits = 0;
    for (let u = 0; u < 20; u++) {
      const truth = new Set(
        exact.recommend({ user: u, history: emptyHistory(), first: 10 }).items.map((r) => r.item),
      );
      for (const r of ann.recommend({ user: u, history: emptyHistory(), first: 10 }).items) {
        if (truth.has(r.item)) hits++;
        // The score the index returns is the inner product the exact scan computes.
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += user[u * dim + d]! * item[r.item * dim + d]!;
        expect(r.score).toBeCloseTo(dot, 4);
      }
    }
    expect(hits / 200).toBeGreaterThanOrEqual(0.9);
    // A cached index round-trips and is refused for another model's shape.
    const restored = new ArtifactScorer(model, { annMinItems: 1000 });
    restored.importAnn(ann.exportAnn()!);
    expect(restored.annReady).toBe(true);
    const abandoned = new ArtifactScorer(model, { annMinItems: 1000 });
    const building = abandoned.buildAnn(1);
    abandoned.abandonAnn();
    await building;
    expect(abandoned.annReady).toBe(false);
    expect(abandoned.exportAnn()).toBeNull();
    const other = new ArtifactScorer(factorModel(), { annMinItems: 1 });
    expect(() => other.importAnn(ann.exportAnn()!)).toThrow(/HNSW cache holds 3000 x 16/);
  }, 120_000);
});

describe("ArtifactScorer with a HYBRID model", () => {
  // Factors favour items 4, 5 for user 0; neighbours of item 0 favour 2 then 1.
  const model = (blend: TModelArtifact["blend"]): TModelArtifact => ({
    algorithm: "HYBRID",
    itemIds: ["i0", "i1", "i2", "i3", "i4", "i5"],
    userIds: ["u0"],
    popularity: Float32Array.from([1, 1, 1, 50, 1, 1]),
    factors: {
      dim: 1,
      user: Float32Array.from([1]),
      item: Float32Array.from([0, 0.1, 0.2, 0.3, 0.9, 1]),
    },
    neighbours: {
      k: 2,
      index: Int32Array.from([2, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]),
      weight: Float32Array.from([0.8, 0.4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    },
    blend,
    params: {},
  });

  it("follows the neighbour part alone when only it has weight", () => {
    const scorer = new ArtifactScorer(model({ neighbours: 1 }));
    const answer = scorer.recommend({ user: -1, history: history([0]), first: 2, exclude: new Set([0]) });
    expect(answer.source).toBe("HYBRID");
    expect(answer.items.map((r) => r.item)).toEqual([2, 1]);
    expect(answer.items[0]!.reasons[0]).toEqual({
      kind: "HISTORY_ITEM",
      item: 0,
      weight: expect.closeTo(0.8, 6),
    });
  });

  it("moves towards the factor ranking as the factor weight grows", () => {
    const scorer = new ArtifactScorer(model({ factors: 1 }));
    const answer = scorer.recommend({ user: 0, history: emptyHistory(), first: 2 });
    expect(answer.source).toBe("HYBRID");
    expect(answer.items.map((r) => r.item)).toEqual([5, 4]);
    const popular = new ArtifactScorer(model({ popularity: 1 }));
    expect(popular.recommend({ user: 0, history: emptyHistory(), first: 1 }).items[0]!.item).toBe(3);
  });

  it("folds a history into both its factor part and its content part", () => {
    // The content part's one feature favours items 0-2; its solve A^-1 is 1, so q = x_h.
    const scorer = new ArtifactScorer({
      ...model({ factors: 1, content: 1 }),
      content: {
        featureSetId: "fs",
        source: "FEATURE_SET",
        n: 1,
        lambda: 0.1,
        blocks: [{ name: "text", offset: 0, width: 1 }],
        solve: Float32Array.from([1]),
        dim: 1,
        item: Float32Array.from([1, 0.9, 0.8, 0, 0, 0]),
        user: Float32Array.from([0]),
      },
    });
    const answer = scorer.recommend({ user: -1, history: history([1]), first: 2, exclude: new Set([1]) });
    expect(answer.source).toBe("HYBRID");
    // z-scores over candidates 0, 2, 3, 4, 5: factors (y_i) -1.21, -0.71, -0.45, 1.06, 1.31 plus
    // content (0.9 x_i) 1.44, 0.99, -0.81, -0.81, -0.81: item 5 (0.50), then item 2 (0.28).
    expect(answer.items.map((r) => r.item)).toEqual([5, 2]);
    // Fold-in (alpha 1, lambda 0.1 by default): A = sum y^2 + (c - 1) y_1^2 + 0.1 = 2.06, c = 2, so
    // x = 2 * 0.1 / 2.06 and item 5's term y_5 x = 0.2 / 2.06.
    expect(answer.items[0]!.reasons).toEqual([
      { kind: "HISTORY_ITEM", item: 1, weight: expect.closeTo(0.2 / 2.06, 6) },
    ]);
    expect(answer.items[1]!.reasons.map((r) => r.kind).sort()).toEqual(["FEATURE_BLOCK", "HISTORY_ITEM"]);
  });
});

describe("ArtifactScorer popularity within the user's segment", () => {
  // Overall, the b-items lead (popularity 10..30); segment 0 ("a fans") favours the a-items.
  const segmented = (): TModelArtifact => ({
    ...factorModel(),
    segments: {
      setId: "set-1",
      list: [
        { id: "seg-a", index: 0, name: "a fans" },
        { id: "seg-b", index: 1, name: "b fans" },
      ],
      memberIds: ["likes-a", "cold-a", "cold-b"],
      memberSegment: Int32Array.from([0, 0, 1]),
      top: {
        k: 3,
        items: Int32Array.from([1, 0, 2, 5, -1, -1]),
        counts: Float32Array.from([9, 7, 4, 6, 0, 0]),
      },
    },
  });

  it("places members in their segment and everyone else in none", () => {
    const scorer = new ArtifactScorer(segmented());
    expect(scorer.segmentOf("cold-a")).toBe(0);
    expect(scorer.segmentOf("cold-b")).toBe(1);
    expect(scorer.segmentOf("stranger")).toBe(-1);
    expect(new ArtifactScorer(factorModel()).segmentOf("cold-a")).toBe(-1);
  });

  it("answers a cold member with the segment's items, not the overall list", () => {
    const scorer = new ArtifactScorer(segmented());
    const answer = scorer.recommend({ user: -1, history: emptyHistory(), first: 3, segment: 0 });
    expect(answer.source).toBe("SEGMENT_POPULARITY");
    expect(answer.items.map((r) => [r.item, r.score])).toEqual([
      [1, 9],
      [0, 7],
      [2, 4],
    ]);
    expect(answer.items[0]!.reasons).toEqual([{ kind: "SEGMENT_POPULARITY", segment: 0, weight: 9 }]);
    const overall = scorer.recommend({ user: -1, history: emptyHistory(), first: 3 });
    expect(overall.source).toBe("POPULARITY");
    expect(overall.items.map((r) => r.item)).toEqual([5, 4, 3]);
  });

  it("applies exclusions and filters, then fills from overall popularity with score 0", () => {
    const scorer = new ArtifactScorer(segmented());
    const answer = scorer.recommend({
      user: -1,
      history: emptyHistory(),
      first: 4,
      segment: 0,
      exclude: new Set([0]),
      allow: (i) => i !== 2,
    });
    expect(answer.source).toBe("SEGMENT_POPULARITY");
    // Segment items left: 1 only; then the overall walk 5, 4, 3.
    expect(answer.items.map((r) => [r.item, r.score])).toEqual([
      [1, 9],
      [5, 0],
      [4, 0],
      [3, 0],
    ]);
    expect(answer.items[1]!.reasons).toEqual([{ kind: "POPULARITY", weight: 30 }]);
    // The short segment (one item) is filled the same way, without repeating its item.
    const b = scorer.recommend({ user: -1, history: emptyHistory(), first: 3, segment: 1 });
    expect(b.items.map((r) => r.item)).toEqual([5, 4, 3]);
    expect(b.items.map((r) => r.reasons[0]!.kind)).toEqual([
      "SEGMENT_POPULARITY",
      "POPULARITY",
      "POPULARITY",
    ]);
  });

  it("falls back to overall popularity when nothing of the segment is eligible", () => {
    const scorer = new ArtifactScorer(segmented());
    const answer = scorer.recommend({
      user: -1,
      history: emptyHistory(),
      first: 2,
      segment: 1,
      exclude: new Set([5]),
    });
    expect(answer.source).toBe("POPULARITY");
    expect(answer.items.map((r) => r.item)).toEqual([4, 3]);
  });

  it("leaves personal paths alone: a trained user or a user with history is not answered by segment", () => {
    const scorer = new ArtifactScorer(segmented());
    expect(scorer.recommend({ user: 0, history: emptyHistory(), first: 2, segment: 0 }).source).toBe(
      "FACTORS_USER",
    );
    expect(scorer.recommend({ user: -1, history: history([3]), first: 2, segment: 0 }).source).toBe(
      "FACTORS_FOLD_IN",
    );
  });
});
