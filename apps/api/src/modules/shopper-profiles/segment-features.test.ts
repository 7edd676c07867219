import { describe, expect, it } from "vitest";
import type { TProfileData } from "./profile-artifact.ts";
import { describeSegment, nameSegment } from "./segment-describe.ts";
import { buildSegmentMatrix } from "./segment-features.ts";
import { ZSegmentFeatureWeights } from "./segment-params.ts";

const profile: TProfileData = {
  manifest: {
    format: 1,
    count: 3,
    features: [
      "events.view",
      "rfm.recencyDays",
      "rfm.frequency",
      "rfm.monetary",
      "rfm.events",
      "category.Garden",
      "category.Kitchen",
      "band.budget",
      "band.premium",
    ],
    vectorDimension: 2,
    asOf: "2026-01-01T00:00:00.000Z",
    eventTypes: ["view"],
    categories: ["Garden", "Kitchen"],
    bands: ["budget", "premium"],
    usersWithoutVector: 0,
    vectorSource: null,
  },
  users: ["a", "b", "c"],
  // biome-ignore format: one user per line
  features: new Float32Array([
    3, 1, 1, 10, 3, 1, 0, 1, 0,
    0, 4, 2, 30, 7, 0.5, 0.5, 0, 1,
    (Math.E - 1), 9, 0, 0, 1, 0, 1, 0.5, 0.5,
  ]),
  vectors: new Float32Array([3, 4, 0, 0, 1, 0]),
};

describe("buildSegmentMatrix", () => {
  it("uses shares as they are, scaled by weight / sqrt(block width)", () => {
    const m = buildSegmentMatrix(profile, ZSegmentFeatureWeights.parse({ categories: 2, bands: 0 }));
    expect(m.columns).toEqual(["category.Garden", "category.Kitchen"]);
    const s = 2 / Math.sqrt(2);
    expect(Array.from(m.data)).toEqual([s, 0, 0.5 * s, 0.5 * s, 0, s]);
  });

  it("log1p-standardises counts and L2-normalises the profile vector", () => {
    const m = buildSegmentMatrix(
      profile,
      ZSegmentFeatureWeights.parse({ categories: 0, bands: 0, eventTypes: 1, vector: 1 }),
    );
    expect(m.columns).toEqual(["events.view", "vector.0", "vector.1"]);
    // log1p(3), log1p(0), log1p(e - 1) = 1.386, 0, 1: mean 0.795, sample sd 0.717.
    const logs = [Math.log(4), 0, 1];
    const mean = logs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    const events = [0, 1, 2].map((u) => m.data[u * 3]!);
    events.forEach((value, u) => {
      expect(value).toBeCloseTo((logs[u]! - mean) / sd, 5);
    });
    const vector = [m.data[1], m.data[2], m.data[4], m.data[5], m.data[7], m.data[8]];
    [0.6, 0.8, 0, 0, 1, 0].forEach((expected, i) => {
      expect(vector[i]).toBeCloseTo(expected, 12);
    });
  });

  it("refuses when every chosen block is empty", () => {
    const noVector = {
      ...profile,
      manifest: { ...profile.manifest, vectorDimension: 0 },
      vectors: new Float32Array(0),
    };
    expect(() =>
      buildSegmentMatrix(noVector, ZSegmentFeatureWeights.parse({ categories: 0, bands: 0, vector: 1 })),
    ).toThrow(/no profile features to cluster/);
  });
});

describe("describeSegment", () => {
  it("averages shares, takes the median recency and names the segment", () => {
    const summary = describeSegment(profile, [0, 1]);
    expect(summary.topCategories).toEqual([
      { name: "Garden", share: 0.75 },
      { name: "Kitchen", share: 0.25 },
    ]);
    expect(summary.bands).toEqual([
      { name: "budget", share: 0.5 },
      { name: "premium", share: 0.5 },
    ]);
    expect(summary.rfm).toEqual({
      recencyDaysMedian: 2.5,
      frequencyMean: 1.5,
      monetaryMean: 20,
      eventsMean: 5,
    });
    expect(summary.eventTypes).toEqual([{ name: "view", mean: 1.5 }]);
    expect(nameSegment(0, summary)).toBe("Garden + Kitchen (budget)");
    expect(nameSegment(2, describeSegment(profile, []))).toBe("Segment 3");
  });
});
