import { describe, expect, it } from "vitest";
import { interestInItems, lookalikeScores, reachCurve } from "./audience-interest.ts";
import type { TModelArtifact } from "./model-artifact.ts";

const base = {
  algorithm: "ALS",
  itemIds: ["a", "b", "c"],
  userIds: ["u0", "u1"],
  popularity: new Float32Array(3),
  params: {},
};

describe("interestInItems", () => {
  it("factor models: the user vector times the targets' mean item vector", () => {
    const artifact: TModelArtifact = {
      ...base,
      factors: { dim: 2, user: Float32Array.from([1, 0, 0, 2]), item: Float32Array.from([1, 0, 3, 1, 0, 4]) },
    };
    // targets a and c: mean vector (0.5, 2); u0 = (1, 0) -> 0.5; u1 = (0, 2) -> 4.
    expect(Array.from(interestInItems(artifact, Int32Array.from([0, 2]), () => undefined))).toEqual([0.5, 4]);
  });

  it("neighbour models: neighbour weights from the history into the targets, per target", () => {
    const artifact: TModelArtifact = {
      ...base,
      algorithm: "ITEMKNN",
      neighbours: {
        k: 2,
        index: Int32Array.from([1, 2, 0, -1, 0, 1]),
        weight: Float32Array.from([0.5, 0.25, 0.5, 0, 0.25, 0.1]),
      },
    };
    const histories = [Int32Array.from([0]), Int32Array.from([2])];
    // target c: u0 has a -> c (0.25); u1 has c, whose neighbours a, b are not targets.
    expect(Array.from(interestInItems(artifact, Int32Array.from([2]), (u) => histories[u]))).toEqual([
      0.25, 0,
    ]);
  });
});

describe("lookalikeScores", () => {
  it("ranks by cosine to the seed centroid and never returns seed members", () => {
    const vectors = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0, 0]);
    const scores = lookalikeScores(vectors, 2, [0]);
    expect(scores[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(scores[1]).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
    expect(scores[2]).toBeCloseTo(0, 6);
    expect(scores[3]).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("reachCurve", () => {
  it("gives the mean score of each top slice against the overall mean", () => {
    expect(reachCurve([4, 2, 1, 1], [1, 2, 10])).toEqual([
      { size: 1, meanScore: 4, index: 2 },
      { size: 2, meanScore: 3, index: 1.5 },
      { size: 4, meanScore: 2, index: 1 },
    ]);
  });
});
