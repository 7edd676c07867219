import { describe, expect, it } from "vitest";
import { buildSearchIndex } from "./search-index.ts";
import { searchIndex } from "./search-query.ts";
import { generatedDocs, TINY_SCHEMA, tinyIndex } from "./test-fixtures.ts";

// Hand-worked BM25F on TINY_DOCS (k1 = 1.2; title w 2, b 0.5; body w 1, b 0.75; "a" and "with" are
// stop words). Title lengths 2, 2, 2 (avg 2), so B_title = 1. Body lengths 3, 2, 4 (avg 3):
// B_body = 1, 0.25 + 0.75 * 2/3 = 0.75, 0.25 + 0.75 * 4/3 = 1.25. "red" and "mug" each have df 2 of
// N 3: idf = ln(1 + 1.5 / 2.5) = ln 1.6.
//   red in d1: tf~ = 2 * 1/1 + 1 * 1/1    = 3    -> 3 / 4.2 * ln 1.6       = 0.3357168780
//   red in d3: tf~ = 2 * 1/1 + 1 * 1/1.25 = 2.8  -> 2.8 / 4.0 * ln 1.6     = 0.3290025404
//   mug in d1: tf~ = 3                            -> 0.3357168780
//   mug in d2: tf~ = 2 + 1 / 0.75 = 10/3          -> (10/3) / (10/3 + 1.2) * ln 1.6 = 0.3455909041
const LN16 = Math.log(1.6);
const RED_D1 = (3 / 4.2) * LN16;
const RED_D3 = (2.8 / 4) * LN16;
const MUG_D2 = (10 / 3 / (10 / 3 + 1.2)) * LN16;

describe("searchIndex: BM25F on a three-document corpus", () => {
  it("scores one word with the hand-worked values", () => {
    const result = searchIndex(tinyIndex(), { query: "red ", first: 10 });
    expect(result.hits.map((h) => h.id)).toEqual(["d1", "d3"]);
    expect(result.hits[0]!.lexicalScore).toBeCloseTo(0.335716878, 9);
    expect(result.hits[0]!.lexicalScore).toBeCloseTo(RED_D1, 12);
    expect(result.hits[1]!.lexicalScore).toBeCloseTo(0.3290025404, 9);
    expect(result.hits[1]!.lexicalScore).toBeCloseTo(RED_D3, 12);
  });

  it("sums the words and ranks items with more of them first", () => {
    const result = searchIndex(tinyIndex(), { query: "red mug ", first: 10 });
    expect(result.hits.map((h) => h.id)).toEqual(["d1", "d2", "d3"]);
    expect(result.hits[0]!.lexicalScore).toBeCloseTo(2 * RED_D1, 12);
    expect(result.hits[1]!.lexicalScore).toBeCloseTo(MUG_D2, 12);
    expect(result.hits[1]!.lexicalScore).toBeCloseTo(0.3455909041, 9);
    expect(result.hits[2]!.lexicalScore).toBeCloseTo(RED_D3, 12);
    expect(result.total).toBe(3);
  });

  it("matches plurals through the stemmer and says which words matched where", () => {
    const result = searchIndex(tinyIndex(), { query: "mugs ", first: 10 });
    expect(result.hits.map((h) => h.id)).toEqual(["d2", "d1"]);
    const [match] = result.hits[0]!.matches;
    expect(match).toMatchObject({ queryWord: "mugs", matched: "mug", kind: "exact", typos: 0 });
    expect(match!.fields).toEqual(["title", "body"]);
    expect(match!.score).toBeCloseTo(MUG_D2, 12);
    expect(result.hits[0]!.highlights).toEqual([
      { field: "title", text: "blue mug", ranges: [[5, 8]] },
      { field: "body", text: "blue mug", ranges: [[5, 8]] },
    ]);
  });

  it("tolerates one typo from five letters, none below, and none in fields that disable typos", () => {
    expect(searchIndex(tinyIndex(), { query: "ceramc ", first: 10 }).hits.map((h) => h.id)).toEqual([
      "d1",
      "d3",
    ]);
    expect(searchIndex(tinyIndex(), { query: "lmp ", first: 10 }).total).toBe(0);
    // "ab12347" is one edit from both SKUs, but the sku field takes no typos.
    expect(searchIndex(tinyIndex(), { query: "AB12347 ", first: 10 }).total).toBe(0);
    expect(searchIndex(tinyIndex(), { query: "AB12346 ", first: 10 }).hits.map((h) => h.id)).toEqual(["d2"]);
    const typo = searchIndex(tinyIndex(), { query: "ceramc ", first: 1 }).hits[0]!;
    expect(typo.matches[0]).toMatchObject({ kind: "typo", typos: 1 });
  });

  it("gives a 5-letter word missing a letter its typo, but no typo to a 4-letter word of the same length", () => {
    const index = buildSearchIndex(
      [
        { id: "s1", title: "wool scarf", body: "", colour: "red", price: 1, sku: "X1" },
        { id: "s2", title: "desk lamp", body: "", colour: "red", price: 1, sku: "X2" },
      ],
      TINY_SCHEMA,
    );
    const missing = searchIndex(index, { query: "scrf ", first: 10 });
    expect(missing.hits.map((h) => h.id)).toEqual(["s1"]);
    expect(missing.hits[0]!.matches[0]).toMatchObject({ queryWord: "scrf", matched: "scarf", typos: 1 });
    // "damp" is one substitution from "lamp", both 4 letters: no typo allowed.
    expect(searchIndex(index, { query: "damp ", first: 10 }).total).toBe(0);
  });

  it("completes the last word unless a space follows it", () => {
    expect(searchIndex(tinyIndex(), { query: "lam", first: 10 }).hits.map((h) => h.id)).toEqual(["d3"]);
    expect(searchIndex(tinyIndex(), { query: "lam ", first: 10 }).total).toBe(0);
  });

  it("expands synonyms", () => {
    const withSynonyms = buildSearchIndex([{ id: "x", title: "blue mug", body: "", colour: "blue" }], {
      ...TINY_SCHEMA,
      synonyms: [["cup", "mug"]],
    });
    const hit = searchIndex(withSynonyms, { query: "cups ", first: 1 }).hits[0]!;
    expect(hit.id).toBe("x");
    expect(hit.matches[0]).toMatchObject({ kind: "synonym", matched: "mug" });
  });
});

describe("searchIndex: filters, facets, sorting, paging", () => {
  it("filters by facet and price range and counts facets over the filtered result", () => {
    const result = searchIndex(tinyIndex(), {
      query: "mug ",
      first: 10,
      filter: { facets: { colour: ["red", "blue"] }, ranges: { price: { max: 7 } } },
      facets: ["colour"],
    });
    expect(result.hits.map((h) => h.id)).toEqual(["d2"]);
    expect(result.facets).toEqual({ colour: [{ value: "blue", count: 1 }] });
    const unfiltered = searchIndex(tinyIndex(), { query: "ceramic ", first: 10, facets: ["colour"] });
    expect(unfiltered.facets).toEqual({ colour: [{ value: "red", count: 2 }] });
  });

  it("sorts by a number field with relevance breaking ties", () => {
    const result = searchIndex(tinyIndex(), {
      query: "red mug ",
      first: 10,
      sort: { by: "field", field: "price", direction: "asc" },
    });
    expect(result.hits.map((h) => h.id)).toEqual(["d2", "d1", "d3"]);
  });

  it("never lets the page size change the ranking: the first k are the same for any first, and pages join up", () => {
    const index = buildSearchIndex(generatedDocs(2000), TINY_SCHEMA);
    for (const query of ["red mug", "steel knife", "kettle", "ceramc lamp", "nordvik bam"]) {
      const all = searchIndex(index, { query, first: 50, explain: false }).hits.map((h) => h.id);
      expect(searchIndex(index, { query, first: 1, explain: false }).hits.map((h) => h.id)).toEqual(
        all.slice(0, 1),
      );
      const paged = [0, 10, 20, 30, 40].flatMap((offset) =>
        searchIndex(index, { query, first: 10, offset, explain: false }).hits.map((h) => h.id),
      );
      expect(paged).toEqual(all);
    }
  });
});

describe("searchIndex: hybrid ranking", () => {
  it("fuses the lexical and the given semantic ranking by RRF and keeps both ranks on each hit", () => {
    const result = searchIndex(tinyIndex(), {
      query: "red ",
      first: 10,
      semantic: { ids: ["d3", "d2", "d1"], scores: [0.9, 0.5, 0.1] },
    });
    // d1: lexical 1, semantic 3; d3: lexical 2, semantic 1; d2: semantic 2 only.
    const byId = Object.fromEntries(result.hits.map((h) => [h.id, h]));
    expect(byId.d1).toMatchObject({ lexicalRank: 1, semanticRank: 3, semanticScore: 0.1 });
    expect(byId.d1!.score).toBeCloseTo(1 / 61 + 1 / 63, 15);
    expect(byId.d3!.score).toBeCloseTo(1 / 62 + 1 / 61, 15);
    expect(byId.d2).toMatchObject({ lexicalRank: null, lexicalScore: null, semanticRank: 2 });
    expect(byId.d2!.score).toBeCloseTo(1 / 62, 15);
    expect(result.hits.map((h) => h.id)).toEqual(["d3", "d1", "d2"]);
  });

  it("blends min-max-scaled scores when asked", () => {
    const result = searchIndex(tinyIndex(), {
      query: "red ",
      first: 10,
      semantic: { ids: ["d3", "d1"], scores: [0.9, 0.1] },
      fusion: { method: "blend", alpha: 0.5 },
    });
    const byId = Object.fromEntries(result.hits.map((h) => [h.id, h.score]));
    expect(byId.d1).toBeCloseTo(0.5 * 0 + 0.5 * 1, 12);
    expect(byId.d3).toBeCloseTo(0.5 * 1 + 0.5 * 0, 12);
  });
});
