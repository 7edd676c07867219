import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateDemoShop } from "@dam/demo-shop/generate";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { settleVersionJobs } from "./helpers/settle-jobs.ts";
import { startApiInstance, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Product search on the demo catalogue (real PostgreSQL, Redis and workers): typos, plurals, facets
// and filters, paging that never changes the ranking, the index job with lineage, and click
// attribution through trackEvents.

const SHOP = { seed: 11, products: 600, users: 20, events: 200 };

type THit = {
  rank: number;
  itemId: string;
  title: string | null;
  score: number;
  lexicalRank: number | null;
  matches: { queryWord: string; matched: string; kind: string; typos: number }[];
  highlights: { field: string; text: string; ranges: number[] }[];
  placement: { ruleId: string; action: string } | null;
};
type TResult = {
  searchId: string;
  indexVersion: string;
  backend: string;
  total: number;
  endCursor: string | null;
  hasNextPage: boolean;
  hits: THit[];
  facets: { field: string; kind: string; values: { value: string; count: number }[] }[];
};

const SEARCH = `query($q: String!, $first: Int, $after: String, $filter: SearchFilter, $sort: SearchSort, $v: ID) {
  search(query: $q, first: $first, after: $after, filter: $filter, sort: $sort, catalogVersionId: $v) {
    searchId indexVersion backend total endCursor hasNextPage
    hits { rank itemId title score lexicalRank matches { queryWord matched kind typos } highlights { field text ranges } placement { ruleId action } }
    facets { field kind values { value count } } } }`;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let versionId: string;
const products = generateDemoShop(SHOP).products;
const byId = new Map(products.map((p) => [p.item_id, p]));

const search = async (variables: Record<string, unknown>) => {
  const answer = await stack.gql<{ search: TResult }>(SEARCH, { v: versionId, first: 10, ...variables });
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!.search;
};

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dam-search-"));
  stack = await startTestStack({
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
    MODELS_DIR: path.join(dir, "none"),
  });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "features", "quality"]);
  const shop = await writeDemoShop(path.join(dir, "shop"), SHOP);
  const { version, job } = await importAndWait(stack, {
    name: "search_products",
    kind: "CATALOG",
    source: {
      paths: [shop.files.products],
      format: "csv",
      roles: {
        item_id: "itemId",
        title: "title",
        description: "description",
        category: "category",
        brand: "brand",
        price: "price",
      },
      types: {},
    },
  });
  expect(job.status).toBe("COMPLETED");
  versionId = version.id;
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("search", () => {
  it("finds the intended product through a typo and through a plural", async () => {
    const typo = await search({ q: "electric ketle" });
    expect(typo.backend).toBe("bm25f");
    expect(byId.get(typo.hits[0]!.itemId)?.subcategory).toBe("Electric Kettle");
    expect(typo.hits[0]!.matches).toContainEqual(
      expect.objectContaining({ queryWord: "ketle", matched: "kettle", kind: "typo", typos: 1 }),
    );
    const titleHighlight = typo.hits[0]!.highlights.find((h) => h.field === "title")!;
    const marked = [];
    for (let i = 0; i < titleHighlight.ranges.length; i += 2) {
      marked.push(titleHighlight.text.slice(titleHighlight.ranges[i], titleHighlight.ranges[i + 1]));
    }
    expect(marked).toEqual(expect.arrayContaining(["Electric", "Kettle"]));

    const plural = await search({ q: "chef knives", first: 20 });
    expect(plural.hits.length).toBeGreaterThan(0);
    for (const hit of plural.hits.slice(0, 5)) expect(byId.get(hit.itemId)?.subcategory).toBe("Chef Knife");
  });

  it("narrows by a facet and a price range, and the counts follow the filter", async () => {
    const all = await search({ q: "black" });
    const categories = all.facets.find((f) => f.kind === "category")!;
    expect(categories.values.length).toBeGreaterThan(1);
    const chosen = categories.values[0]!;
    const narrowed = await search({ q: "black", filter: { categories: [chosen.value] }, first: 50 });
    expect(narrowed.total).toBe(chosen.count);
    expect(narrowed.facets.find((f) => f.kind === "category")!.values).toEqual([chosen]);
    for (const hit of narrowed.hits) expect(byId.get(hit.itemId)?.category).toBe(chosen.value);
    const cheap = await search({ q: "black", filter: { priceMax: 20 }, sort: "PRICE_ASC", first: 50 });
    const prices = cheap.hits.map((hit) => byId.get(hit.itemId)!.price);
    for (const price of prices) expect(price === null || price <= 20).toBe(true);
    expect(cheap.total).toBeLessThan(all.total);
    const bad = await stack.gql(SEARCH, {
      q: "black",
      v: versionId,
      filter: { attributes: [{ field: "nope", values: ["x"] }] },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("ranks the whole result before paging: first 1 and first 30 agree, and pages join up", async () => {
    const all = await search({ q: "steel lamp", first: 30 });
    const one = await search({ q: "steel lamp", first: 1 });
    expect(one.hits[0]!.itemId).toBe(all.hits[0]!.itemId);
    const page1 = await search({ q: "steel lamp", first: 15 });
    const page2 = await search({ q: "steel lamp", first: 15, after: page1.endCursor });
    expect([...page1.hits, ...page2.hits].map((h) => h.itemId)).toEqual(all.hits.map((h) => h.itemId));
    expect(page2.hits[0]!.rank).toBe(16);
  });

  it("builds the index in a job when the version becomes READY, records it in lineage and attributes a click to the search", async () => {
    // The import made the version READY, which queued the index job by itself.
    const automatic = await stack.deps.db.job.findFirst({
      where: { name: "search.index", inputIds: { has: versionId } },
    });
    expect(automatic).not.toBeNull();
    await settleVersionJobs(stack, versionId, ["features"], 60_000);
    const built = await stack.deps.db.job.findUniqueOrThrow({ where: { id: automatic!.id } });
    expect(built.status, built.error ?? "").toBe("COMPLETED");
    // On demand, the same job runs again.
    const started = await stack.gql<{ indexCatalogSearch: { id: string } }>(
      `mutation($v: ID!) { indexCatalogSearch(catalogVersionId: $v) { id } }`,
      { v: versionId },
    );
    expect(started.errors).toBeUndefined();
    const job = await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({
          where: { id: started.data!.indexCatalogSearch.id },
        });
        return row && ["COMPLETED", "FAILED"].includes(row.status) ? row : undefined;
      },
      { what: "the search.index job", timeoutMs: 60_000 },
    );
    expect(job.status, job.error ?? "").toBe("COMPLETED");
    expect(job.id).toBe(automatic!.id);
    expect(job.finishedAt!.getTime()).toBeGreaterThan(built.finishedAt!.getTime());
    const result = await search({ q: "scented candle" });
    expect((job.result as { indexVersion: string }).indexVersion).toBe(result.indexVersion);
    const node = await stack.deps.db.lineageNode.findUnique({
      where: { type_refId: { type: "SEARCH_INDEX", refId: result.indexVersion } },
      include: { inEdges: { include: { from: true } } },
    });
    expect(node?.inEdges.map((edge) => [edge.relation, edge.from.refId])).toContainEqual([
      "indexed_by",
      versionId,
    ]);

    const tracked = await stack.gql<{ trackEvents: { accepted: number; attributedToSearches: number } }>(
      `mutation($e: [TrackEventInput!]!) { trackEvents(events: $e) { accepted attributedToSearches errors { field } } }`,
      {
        e: [{ userId: "U000001", itemId: result.hits[0]!.itemId, type: "click", searchId: result.searchId }],
      },
    );
    expect(tracked.data?.trackEvents).toMatchObject({ accepted: 1, attributedToSearches: 1 });
    const analytics = await stack.gql<{
      searchAnalytics: { topQueries: { query: string; searches: number; clicks: number }[] };
    }>(`{ searchAnalytics(first: 50) { topQueries { query searches clicks } } }`);
    expect(analytics.data?.searchAnalytics.topQueries).toContainEqual({
      query: "scented candle",
      searches: 1,
      clicks: 1,
    });

    const suggest = async (prefix: string) =>
      (
        await stack.gql<{ suggest: { text: string; source: string }[] }>(
          `query($p: String!, $v: ID) { suggest(prefix: $p, catalogVersionId: $v) { text source } }`,
          { p: prefix, v: versionId },
        )
      ).data?.suggest;
    // A past search comes first, then completions from the catalogue's words.
    expect((await suggest("scented ca"))?.[0]).toEqual({ text: "scented candle", source: "queries" });
    expect((await suggest("frying p"))?.[0]).toEqual({ text: "frying pan", source: "titles" });
  });

  it("pins, boosts and buries through steward rules, audited, within their time window", async () => {
    const RULE = `mutation($input: SearchRuleInput!) { createSearchRule(input: $input) { id query match action active } }`;
    const before = await search({ q: "Steel  Lamp", first: 30 });
    const pinnedId = before.hits[20]!.itemId;
    const buriedId = before.hits[0]!.itemId;
    const pin = await stack.gql<{ createSearchRule: { id: string; query: string; active: boolean } }>(RULE, {
      input: { query: "  STEEL lamp ", match: "EXACT", action: "PIN", target: "ITEM", value: pinnedId },
    });
    expect(pin.errors).toBeUndefined();
    expect(pin.data!.createSearchRule).toMatchObject({ query: "steel lamp", active: true });
    const bury = await stack.gql<{ createSearchRule: { id: string } }>(RULE, {
      input: { query: "lamp", match: "CONTAINS", action: "BURY", target: "ITEM", value: buriedId },
    });
    const later = await stack.gql<{ createSearchRule: { id: string; active: boolean } }>(RULE, {
      input: {
        query: "steel lamp",
        match: "EXACT",
        action: "PIN",
        target: "ITEM",
        value: before.hits[25]!.itemId,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(later.data!.createSearchRule.active).toBe(false);

    const after = await search({ q: "steel lamp", first: 30 });
    expect(after.hits[0]).toMatchObject({
      itemId: pinnedId,
      placement: { ruleId: pin.data!.createSearchRule.id, action: "PIN" },
    });
    expect(after.hits[1]!.itemId).toBe(before.hits[1]!.itemId);
    expect(after.hits[1]!.placement).toBeNull();
    expect(after.hits.map((h) => h.itemId)).not.toContain(buriedId);
    expect(after.total).toBe(before.total);
    // The first page of one and of thirty agree under rules too.
    expect((await search({ q: "steel lamp", first: 1 })).hits[0]!.itemId).toBe(pinnedId);
    // Not an exact match of the pin's query, but it contains the bury's.
    const other = await search({ q: "red lamp", first: 200 });
    const buriedHit = other.hits.find((h) => h.itemId === buriedId);
    if (buriedHit)
      expect(buriedHit.placement).toEqual({ ruleId: bury.data!.createSearchRule.id, action: "BURY" });
    expect(other.hits.filter((h) => h.placement?.action === "PIN")).toEqual([]);

    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetType: "SearchRule", targetId: pin.data!.createSearchRule.id },
    });
    expect(audit.map((event) => event.action)).toEqual(["search.rule.create"]);

    const bad = await stack.gql(RULE, {
      input: {
        query: "lamp",
        match: "EXACT",
        action: "PIN",
        target: "ITEM",
        value: "x",
        startsAt: "2030-01-02T00:00:00Z",
        endsAt: "2030-01-01T00:00:00Z",
      },
    });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(bad.errors?.[0]?.message).toMatch(/endsAt/);

    const removed = await stack.gql(`mutation($id: ID!) { deleteSearchRule(id: $id) }`, {
      id: pin.data!.createSearchRule.id,
    });
    expect(removed.errors).toBeUndefined();
    const gone = await search({ q: "steel lamp", first: 1 });
    expect(gone.hits[0]!.itemId).toBe(before.hits[1]!.itemId);
    await stack.gql(`mutation($id: ID!) { deleteSearchRule(id: $id) }`, {
      id: bury.data!.createSearchRule.id,
    });
    await stack.gql(`mutation($id: ID!) { deleteSearchRule(id: $id) }`, {
      id: later.data!.createSearchRule.id,
    });
  });

  it("applies the stewards' synonyms and stop words to the index, audited, and refuses bad words", async () => {
    const unknown = await search({ q: "beaker ", first: 50 });
    expect(unknown.hits.flatMap((h) => h.matches).filter((m) => m.matched === "bottle")).toEqual([]);
    const created = await stack.gql<{ createSearchSynonym: { id: string; words: string[] } }>(
      `mutation($words: [String!]!) { createSearchSynonym(words: $words) { id words } }`,
      { words: ["Beaker", "bottles"] },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createSearchSynonym.words).toEqual(["beaker", "bottles"]);
    const found = await search({ q: "beaker " });
    expect(found.indexVersion).not.toBe(unknown.indexVersion);
    expect(found.total).toBeGreaterThan(0);
    expect(byId.get(found.hits[0]!.itemId)?.subcategory).toBe("Water Bottle");
    expect(found.hits[0]!.matches[0]).toMatchObject({
      queryWord: "beaker",
      matched: expect.stringMatching(/^bottl/),
      kind: "synonym",
    });

    // Another API process holds the index with the vocabulary it read; a change made through this
    // process reaches it by the vocabulary announcement (it would otherwise keep its copy a minute).
    const other = await startApiInstance(stack);
    try {
      const searchOther = async () => {
        const answer = await other.gql<{ search: TResult }>(SEARCH, {
          v: versionId,
          first: 10,
          q: "water bottle ",
        });
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        return answer.data!.search;
      };
      await waitFor(async () => ((await searchOther()).hits[0]?.matches.length === 2 ? true : undefined), {
        what: "the other process to hold the index",
      });
      const both = (await search({ q: "water bottle " })).hits[0]!;
      expect(both.matches.map((m) => m.queryWord)).toEqual(["water", "bottle"]);
      const stop = await stack.gql(`mutation { addSearchStopWord(word: "WATER") { word } }`);
      expect(stop.errors).toBeUndefined();
      const withoutWater = await search({ q: "water bottle " });
      expect(withoutWater.hits[0]!.matches.map((m) => m.queryWord)).toEqual(["bottle"]);
      await waitFor(
        async () =>
          (await searchOther()).hits[0]?.matches.map((m) => m.queryWord).join() === "bottle"
            ? true
            : undefined,
        { what: "the other process to rebuild with the new stop word", timeoutMs: 20_000 },
      );
    } finally {
      await other.close();
    }

    const vocabulary = await stack.gql<{
      searchVocabulary: {
        synonyms: { words: string[] }[];
        stopWords: { word: string }[];
        defaultStopWords: string[];
      };
    }>(`{ searchVocabulary { synonyms { words } stopWords { word } defaultStopWords } }`);
    expect(vocabulary.data!.searchVocabulary.synonyms).toEqual([{ words: ["beaker", "bottles"] }]);
    expect(vocabulary.data!.searchVocabulary.stopWords).toEqual([{ word: "water" }]);
    expect(vocabulary.data!.searchVocabulary.defaultStopWords).toContain("the");

    const phrase = await stack.gql(`mutation { createSearchSynonym(words: ["tee shirt", "tshirt"]) { id } }`);
    expect(phrase.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/words\[0\].*more than one word/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    const lonely = await stack.gql(`mutation { createSearchSynonym(words: ["mug"]) { id } }`);
    expect(lonely.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const builtIn = await stack.gql(`mutation { addSearchStopWord(word: "the") { word } }`);
    expect(builtIn.errors?.[0]?.message).toMatch(/already an English stop word/);

    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetType: { in: ["SearchSynonym", "SearchStopWord"] } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual(["search.synonym.create", "search.stopword.add"]);

    expect((await stack.gql(`mutation { removeSearchStopWord(word: "water") }`)).errors).toBeUndefined();
    const removed = await stack.gql(`mutation($id: ID!) { deleteSearchSynonym(id: $id) }`, {
      id: created.data!.createSearchSynonym.id,
    });
    expect(removed.errors).toBeUndefined();
    const forgotten = await search({ q: "beaker ", first: 50 });
    expect(forgotten.indexVersion).toBe(unknown.indexVersion);
    expect(forgotten.hits.flatMap((h) => h.matches).filter((m) => m.matched === "bottle")).toEqual([]);
    expect((await search({ q: "water bottle " })).hits[0]!.matches.map((m) => m.queryWord)).toContain(
      "water",
    );
  });
});
