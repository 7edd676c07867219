import { describe, expect, it } from "vitest";
import { buildSearchIndex } from "./search-index.ts";
import { searchIndex } from "./search-query.ts";
import { generatedDocs, TINY_SCHEMA, tinyIndex } from "./test-fixtures.ts";

// "red mug" ranks d1, d2, d3 without rules (search-query.test.ts works the scores out by hand).
describe("merchandising placements over the relevance ranking", () => {
  it("pins an item first, even one no query word matched, if it passes the filter", () => {
    const index = tinyIndex();
    const pinned = searchIndex(index, {
      query: "mug",
      first: 10,
      placements: [{ ruleId: "r1", action: "pin", target: { kind: "item", id: "d3" } }],
    });
    expect(pinned.hits.map((h) => h.id)).toEqual(["d3", "d2", "d1"]);
    expect(pinned.hits[0]!.placement).toEqual({ ruleId: "r1", action: "pin" });
    expect(pinned.hits[1]!.placement).toBeNull();
    expect(pinned.total).toBe(3);
    const filtered = searchIndex(index, {
      query: "mug",
      first: 10,
      filter: { facets: { colour: ["blue"] } },
      placements: [{ ruleId: "r1", action: "pin", target: { kind: "item", id: "d3" } }],
    });
    expect(filtered.hits.map((h) => h.id)).toEqual(["d2"]);
  });

  it("boosts and buries by item or facet value, relevance ordering each tier", () => {
    const index = tinyIndex();
    const buried = searchIndex(index, {
      query: "red mug",
      first: 10,
      placements: [{ ruleId: "b", action: "bury", target: { kind: "item", id: "d1" } }],
    });
    expect(buried.hits.map((h) => h.id)).toEqual(["d2", "d3", "d1"]);
    expect(buried.hits[2]!.rank).toBe(3);
    const boosted = searchIndex(index, {
      query: "red mug",
      first: 10,
      placements: [
        { ruleId: "c", action: "boost", target: { kind: "facet", field: "colour", value: "red" } },
      ],
    });
    expect(boosted.hits.map((h) => h.id)).toEqual(["d1", "d3", "d2"]);
    expect(boosted.hits.map((h) => h.placement?.ruleId ?? null)).toEqual(["c", "c", null]);
  });

  it("lets a pin beat a bury and a bury beat a boost on the same item", () => {
    const result = searchIndex(tinyIndex(), {
      query: "red mug",
      first: 10,
      placements: [
        { ruleId: "up", action: "boost", target: { kind: "item", id: "d3" } },
        { ruleId: "down", action: "bury", target: { kind: "item", id: "d3" } },
        { ruleId: "bury-d2", action: "bury", target: { kind: "item", id: "d2" } },
        { ruleId: "pin-d2", action: "pin", target: { kind: "item", id: "d2" } },
      ],
    });
    expect(result.hits.map((h) => [h.id, h.placement?.ruleId ?? null])).toEqual([
      ["d2", "pin-d2"],
      ["d1", null],
      ["d3", "down"],
    ]);
  });

  it("places over the whole ranking, so the page size never changes the order", () => {
    const docs = generatedDocs(400);
    const index = buildSearchIndex(docs, TINY_SCHEMA);
    const query = String(docs[0]!.title).split(" ")[0]!;
    const full = searchIndex(index, { query, first: 60 });
    expect(full.total).toBeGreaterThan(12);
    const lastId = full.hits[full.hits.length - 1]!.id;
    const firstId = full.hits[0]!.id;
    const placements = [
      { ruleId: "p", action: "pin" as const, target: { kind: "item" as const, id: lastId } },
      { ruleId: "x", action: "bury" as const, target: { kind: "item" as const, id: firstId } },
    ];
    const all = searchIndex(index, { query, first: 200, placements });
    const one = searchIndex(index, { query, first: 1, placements });
    const page2 = searchIndex(index, { query, first: 5, offset: 5, placements });
    expect(one.hits[0]!.id).toBe(lastId);
    expect(all.hits[all.hits.length - 1]!.id).toBe(firstId);
    expect(page2.hits.map((h) => h.id)).toEqual(all.hits.slice(5, 10).map((h) => h.id));
  });

  it("ignores placements when sorting by a field", () => {
    const result = searchIndex(tinyIndex(), {
      query: "red mug",
      first: 10,
      sort: { by: "field", field: "price", direction: "asc" },
      placements: [{ ruleId: "p", action: "pin", target: { kind: "item", id: "d3" } }],
    });
    expect(result.hits.map((h) => h.id)).toEqual(["d2", "d1", "d3"]);
    expect(result.hits.every((h) => h.placement === null)).toBe(true);
  });
});
