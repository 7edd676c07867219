import { describe, expect, it } from "vitest";
import { blendScores, queryTerms, SEMANTIC_WEIGHT } from "./search-blend.ts";

describe("queryTerms", () => {
  it("lower-cases, splits on non-word characters and drops repeats", () => {
    expect(queryTerms("Red MUG, red-mug! 300ml")).toEqual(["red", "mug", "300ml"]);
    expect(queryTerms("  ,;  ")).toEqual([]);
  });
});

describe("blendScores", () => {
  it("adds the weighted title match to the weighted cosine", () => {
    const [hit] = blendScores([{ itemId: "a", semantic: 0.6, lexical: 0.5 }], 1);
    expect(hit?.score).toBeCloseTo(0.75 * 0.6 + 0.25 * 0.5, 12);
    expect(SEMANTIC_WEIGHT).toBe(0.75);
  });

  it("lifts an exact title match over a slightly closer embedding", () => {
    const hits = blendScores(
      [
        { itemId: "near", semantic: 0.62, lexical: 0 },
        { itemId: "exact", semantic: 0.55, lexical: 1 },
      ],
      2,
    );
    // near: 0.465; exact: 0.4125 + 0.25 = 0.6625
    expect(hits.map((hit) => hit.itemId)).toEqual(["exact", "near"]);
  });

  it("treats a negative cosine as no evidence and ranks by lexical share without embeddings", () => {
    expect(blendScores([{ itemId: "x", semantic: -0.4, lexical: 0 }], 1)[0]?.score).toBe(0);
    const lexicalOnly = blendScores(
      [
        { itemId: "b", semantic: null, lexical: 0.5 },
        { itemId: "a", semantic: null, lexical: 0.5 },
        { itemId: "c", semantic: null, lexical: 1 },
      ],
      2,
    );
    expect(lexicalOnly.map((hit) => [hit.itemId, hit.score])).toEqual([
      ["c", 1],
      ["a", 0.5],
    ]);
  });
});
