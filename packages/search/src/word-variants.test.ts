import { describe, expect, it } from "vitest";
import { buildSearchIndex } from "./search-index.ts";
import { searchIndex } from "./search-query.ts";
import { generatedDocs, TINY_SCHEMA, tinyIndex } from "./test-fixtures.ts";
import { EXPANSION_CACHE_SIZE, expandWord, forgetExpansions } from "./word-variants.ts";

describe("expandWord's per-index cache", () => {
  it("answers a repeated word from the cache with the variants a fresh expansion finds", () => {
    const index = tinyIndex();
    const first = expandWord(index, "cermic", false);
    expect(first.map((v) => [v.key, v.kind, v.typos])).toEqual([["ceramic", "typo", 1]]);
    expect(expandWord(index, "cermic", false)).toBe(first);
    forgetExpansions(index);
    const fresh = expandWord(index, "cermic", false);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
    expect(Object.isFrozen(fresh)).toBe(true);
  });

  it("keeps a word typed as a prefix apart from the same word complete, and indexes apart", () => {
    const index = tinyIndex();
    expect(expandWord(index, "mu", true).map((v) => v.key)).toEqual(["mug"]);
    expect(expandWord(index, "mu", false)).toEqual([]);
    const other = buildSearchIndex([{ id: "x", title: "mule", body: "", sku: "Z1" }], TINY_SCHEMA);
    expect(expandWord(other, "mu", true).map((v) => v.key)).toEqual(["mule"]);
  });

  it("stays bounded, dropping the least recently used word", () => {
    const index = buildSearchIndex(generatedDocs(50), TINY_SCHEMA);
    const kept = expandWord(index, "kettle", false);
    for (let i = 0; i < EXPANSION_CACHE_SIZE - 1; i++) expandWord(index, `w${i}`, false);
    expect(expandWord(index, "kettle", false)).toBe(kept); // used again: now the most recent
    for (let i = 0; i < EXPANSION_CACHE_SIZE; i++) expandWord(index, `v${i}`, false);
    expect(expandWord(index, "kettle", false)).not.toBe(kept);
  });

  it("does not change search results", () => {
    const index = buildSearchIndex(generatedDocs(300), TINY_SCHEMA);
    const queries = ["red mug", "ceramc bowl", "nordvik ket", "steel knives", "blankets teal"];
    const cold = queries.map((query) => {
      forgetExpansions(index);
      return searchIndex(index, { query, first: 10 }).hits.map((h) => [h.id, h.score]);
    });
    const warm = [...queries, ...queries].map((query) =>
      searchIndex(index, { query, first: 10 }).hits.map((h) => [h.id, h.score]),
    );
    expect(warm).toEqual([...cold, ...cold]);
  });
});
