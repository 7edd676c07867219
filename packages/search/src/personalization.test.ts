import { describe, expect, it } from "vitest";
import { centredAffinities, cosine, MAX_PERSONAL_WEIGHT, shareAffinity } from "./personalization.ts";
import { buildSearchIndex } from "./search-index.ts";
import { searchIndex } from "./search-query.ts";
import { generatedDocs, TINY_SCHEMA, tinyIndex } from "./test-fixtures.ts";

// BM25F of "red" (search-query.test.ts): d1 3/4.2 x ln 1.6, d3 2.8/4 x ln 1.6.
const LN16 = Math.log(1.6);
const RED_D1 = (3 / 4.2) * LN16;
const RED_D3 = (2.8 / 4) * LN16;

describe("affinity helpers", () => {
  it("centres similarities on their mean and scales by the largest deviation", () => {
    // mean of 0.2, 0.4, 0.9 = 0.5; deviations -0.3, -0.1, 0.4 -> / 0.4
    const out = centredAffinities([0.2, 0.4, Number.NaN, 0.9]);
    expect([...out].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([-0.75, -0.25, 0, 1]);
    expect([...centredAffinities([0.3, 0.3])]).toEqual([0, 0]);
  });

  it("relative share difference: (s - p) / (s + p)", () => {
    expect(shareAffinity(0.6, 0.2)).toBeCloseTo(0.5, 12);
    expect(shareAffinity(0, 0.2)).toBe(-1);
    expect(shareAffinity(0, 0)).toBe(0);
  });

  it("cosine at an offset; NaN for a zero vector", () => {
    expect(cosine([1, 0], [9, 9, 1, 1], 2)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosine([0, 0], [1, 1])).toBeNaN();
  });
});

describe("searchIndex with personalization", () => {
  it("scales relevance by (1 + w x affinity) and reports how far each hit moved", () => {
    const affinity: Record<string, number> = { d1: -1, d3: 1 };
    const result = searchIndex(tinyIndex(), {
      query: "red ",
      first: 10,
      personalization: { weight: 0.2, affinityOf: (ids) => ids.map((id) => affinity[id] ?? 0) },
    });
    expect(result.hits.map((h) => h.id)).toEqual(["d3", "d1"]);
    expect(result.hits[0]!.score).toBeCloseTo(RED_D3 * 1.2, 12);
    expect(result.hits[0]!.personalization).toEqual({
      affinity: 1,
      scoreDelta: expect.closeTo(RED_D3 * 0.2, 12),
      baseRank: 2,
      rankDelta: 1,
    });
    expect(result.hits[1]!.personalization).toMatchObject({ affinity: -1, baseRank: 1, rankDelta: -1 });
    expect(result.hits[1]!.score).toBeCloseTo(RED_D1 * 0.8, 12);
  });

  it("clamps affinities to [-1, 1], refuses a weight above the maximum, and is off without a request", () => {
    const index = tinyIndex();
    const clamped = searchIndex(index, {
      query: "red ",
      first: 10,
      personalization: { weight: 0.1, affinityOf: (ids) => ids.map((id) => (id === "d3" ? 50 : 0)) },
    });
    expect(clamped.hits.find((h) => h.id === "d3")!.personalization!.affinity).toBe(1);
    expect(() =>
      searchIndex(index, {
        query: "red",
        first: 1,
        personalization: { weight: MAX_PERSONAL_WEIGHT + 0.01, affinityOf: (ids) => ids.map(() => 0) },
      }),
    ).toThrow(RangeError);
    expect(searchIndex(index, { query: "red", first: 1 }).hits[0]!.personalization).toBeNull();
  });

  it("never reverses items whose relevance differs by more than (1 + w) / (1 - w), nor crosses word tiers", () => {
    const index = buildSearchIndex(generatedDocs(400), TINY_SCHEMA);
    const w = MAX_PERSONAL_WEIGHT;
    const bound = (1 + w) / (1 - w);
    for (const query of ["red ceramic mug", "steel kettle", "teal", "bamboo lamp navy"]) {
      const base = searchIndex(index, { query, first: 400, explain: false });
      const baseScore = new Map(base.hits.map((h) => [h.id, h.score]));
      const words = new Map(base.hits.map((h) => [h.id, h.lexicalRank]));
      // The adversary: the worse an item ranks, the more the shopper likes it.
      const personal = searchIndex(index, {
        query,
        first: 400,
        explain: true,
        personalization: {
          weight: w,
          affinityOf: (ids) => ids.map((id) => (words.get(id)! > base.hits.length / 2 ? 1 : -1)),
        },
      });
      const matched = new Map(personal.hits.map((h) => [h.id, h.matches.length]));
      expect(personal.hits.some((h) => h.personalization!.rankDelta !== 0)).toBe(true);
      const violations: string[] = [];
      for (let i = 0; i < personal.hits.length; i++) {
        for (let j = i + 1; j < personal.hits.length; j++) {
          const above = personal.hits[i]!.id;
          const below = personal.hits[j]!.id;
          if (matched.get(above)! < matched.get(below)!) violations.push(`${above} crossed ${below}`);
          else if (
            matched.get(above) === matched.get(below) &&
            baseScore.get(below)! / baseScore.get(above)! > bound + 1e-9
          )
            violations.push(`${above} reversed ${below}`);
        }
      }
      expect(violations).toEqual([]);
    }
  });

  it("keeps the top k independent of first", () => {
    const index = buildSearchIndex(generatedDocs(300), TINY_SCHEMA);
    const personalization = {
      weight: 0.3,
      affinityOf: (ids: readonly string[]) => ids.map((id) => ((Number(id.slice(1)) * 7919) % 13) / 6 - 1),
    };
    const all = searchIndex(index, { query: "ceramic bowl", first: 50, personalization }).hits;
    const top = searchIndex(index, { query: "ceramic bowl", first: 5, personalization }).hits;
    expect(top.map((h) => h.id)).toEqual(all.slice(0, 5).map((h) => h.id));
    expect(top.map((h) => h.personalization)).toEqual(all.slice(0, 5).map((h) => h.personalization));
  });
});
