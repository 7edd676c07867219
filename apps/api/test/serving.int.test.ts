import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { binarizeCsr, csrRow } from "@dam/recsys/csr-matrix";
import { fitAls } from "@dam/recsys/implicit-als";
import { buildInteractionLog, matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { fitItemKnn } from "@dam/recsys/item-knn";
import { encodeModelArtifact, type TModelArtifact } from "@dam/recsys/model-artifact";
import { fitPopularity } from "@dam/recsys/popularity";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { publishActiveModel } from "../src/modules/serving/active-model-channel.ts";
import { ModelStore } from "../src/modules/serving/model-store.ts";
import { importAndWait, importShopCatalog } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// A small demo shop (seeded) imported through the real ingest path; models trained here with
// @dam/recsys, written as artifacts, marked ACTIVE and announced, as the training job will do.
const SHOP = { seed: 11, products: 300, users: 400, events: 30_000, days: 30 };

type TItem = {
  itemId: string;
  title: string | null;
  category: string | null;
  price: number | null;
  score: number;
  reasons: { kind: string; itemId: string | null; label: string; weight: number }[];
};
type TRecs = {
  userId: string;
  items: TItem[];
  source: string;
  historyLength: number;
  model: { id: string; name: string; version: number; algorithm: string };
};

const RECOMMEND = `query($userId: String!, $first: Int, $filter: RecommendationFilter, $excludeSeen: Boolean) {
  recommend(userId: $userId, first: $first, filter: $filter, excludeSeen: $excludeSeen) {
    userId source historyLength
    items { itemId title category price score reasons { kind itemId label weight } }
    model { id name version algorithm }
  }
}`;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let log: TInteractionLog;
let catalogVersionId: string;
let eventsVersionId: string;
let products: { item_id: string; category: string; price: string }[];

const recommend = async (variables: Record<string, unknown>) => {
  const result = await stack.gql<{ recommend: TRecs }>(RECOMMEND, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.recommend;
};

const track = (events: Record<string, unknown>[]) =>
  stack.gql<{
    trackEvents: { accepted: number; errors: { index: number; field: string; message: string }[] };
  }>(
    "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted errors { index field message } } }",
    { events },
  );

const writeModel = async (
  id: string,
  artifact: TModelArtifact,
  row: { name: string; version: number; status: "ACTIVE" | "READY" },
) => {
  const location = path.join(dir, "artifacts", "models", `${id}.damm`);
  await mkdir(path.dirname(location), { recursive: true });
  await writeFile(location, encodeModelArtifact(artifact));
  await stack.deps.db.modelVersion.create({
    data: {
      id,
      ...row,
      algorithm: artifact.algorithm,
      params: artifact.params as object,
      inputs: { eventsVersionId, catalogVersionId, featureSetId: null, segmentSetId: null },
      location,
      promotedAt: row.status === "ACTIVE" ? new Date() : null,
    },
  });
};

const ALS_ID = "00000000-0000-4000-8000-00000000a150";
const KNN_ID = "00000000-0000-4000-8000-0000000000c1";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-serving-"));
  stack = await startTestStack({ ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  const { files } = await writeDemoShop(path.join(dir, "shop"), SHOP);
  const catalog = await importShopCatalog(stack, files.products);
  const events = await importAndWait(stack, {
    name: "shop_events",
    kind: "EVENTS",
    source: {
      paths: [files.events],
      format: "csv",
      roles: { user_id: "userId", item_id: "itemId", event_type: "eventType", timestamp: "timestamp" },
      types: {},
    },
  });
  expect([catalog.version.status, events.version.status]).toEqual(["READY", "READY"]);
  catalogVersionId = catalog.version.id;
  eventsVersionId = events.version.id;
  products = parse(readFileSync(files.products), { columns: true });
  const rows: { user_id: string; item_id: string }[] = parse(readFileSync(files.events), { columns: true });
  const known = new Set(products.map((p) => p.item_id));
  log = buildInteractionLog(
    rows
      .filter((r) => r.user_id && known.has(r.item_id))
      .map((r) => ({ user: r.user_id, item: r.item_id, weight: 1 })),
  );
}, 240_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const alsArtifact = (): TModelArtifact => {
  const train = binarizeCsr(matrixFromLog(log));
  const params = { factors: 16, regularization: 0.1, alpha: 10, iterations: 8 };
  const als = fitAls(train, params, 7);
  return {
    algorithm: "ALS",
    itemIds: log.itemIds,
    userIds: log.userIds,
    popularity: fitPopularity(train).counts,
    factors: { dim: 16, user: Float32Array.from(als.userFactors), item: Float32Array.from(als.itemFactors) },
    params: { ...params, lambda: params.regularization },
  };
};

const knnArtifact = (): TModelArtifact => {
  const train = binarizeCsr(matrixFromLog(log));
  const k = 20;
  const knn = fitItemKnn(train, { k, shrink: 10 });
  const n = log.itemIds.length;
  const index = new Int32Array(n * k).fill(-1);
  const weight = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = csrRow(knn.neighbours, i);
    row.indices.forEach((j, t) => {
      index[i * k + t] = j;
      weight[i * k + t] = row.values[t]!;
    });
  }
  return {
    algorithm: "ITEMKNN",
    itemIds: log.itemIds,
    userIds: log.userIds,
    popularity: fitPopularity(train).counts,
    neighbours: { k, index, weight },
    params: { k, shrink: 10 },
  };
};

const categoryOf = (itemId: string) => products.find((p) => p.item_id === itemId)!.category;

describe("real-time serving", () => {
  it("refuses recommendations while no model is ACTIVE", async () => {
    const result = await stack.gql(RECOMMEND, { userId: "anyone" });
    expect(result.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
    expect(result.errors?.[0]?.message).toMatch(/No model is ACTIVE/);
  });

  it("loads a model announced as ACTIVE into the running API", async () => {
    await writeModel(ALS_ID, alsArtifact(), { name: "shop", version: 1, status: "ACTIVE" });
    expect(
      await publishActiveModel(stack.deps.redis, stack.queuePrefix, { name: "shop", modelVersionId: ALS_ID }),
    ).toBeGreaterThan(0);
    const models = await waitFor(
      async () => {
        const result = await stack.gql<{
          servingModels: { id: string; itemCount: number; catalogVersionId: string }[];
        }>("{ servingModels { id itemCount catalogVersionId } }");
        return result.data?.servingModels.length ? result.data.servingModels : undefined;
      },
      { what: "the ALS model to be served" },
    );
    expect(models).toEqual([{ id: ALS_ID, itemCount: log.itemIds.length, catalogVersionId }]);
  });

  it("three tracked clicks turn a new user's popularity list into a personal one", async () => {
    const userId = "brand-new-shopper";
    const before = await recommend({ userId, first: 10 });
    expect(before.source).toBe("POPULARITY");
    expect(before.historyLength).toBe(0);
    expect(before.model.id).toBe(ALS_ID);
    expect(before.items).toHaveLength(10);
    expect(before.items[0]!.reasons[0]!.kind).toBe("POPULARITY");

    // Three items of one category that popularity does not lead with.
    const popular = new Set(before.items.map((i) => i.itemId));
    const category = categoryOf(before.items[9]!.itemId);
    const clicked = log.itemIds.filter((id) => categoryOf(id) === category && !popular.has(id)).slice(0, 3);
    expect(clicked).toHaveLength(3);
    const stored = await track(clicked.map((itemId) => ({ userId, itemId, type: "click" })));
    expect(stored.errors).toBeUndefined();
    expect(stored.data!.trackEvents).toEqual({ accepted: 3, errors: [] });
    expect(await stack.deps.db.liveEvent.count({ where: { userId } })).toBe(3);

    const after = await recommend({ userId, first: 10 });
    expect(after.source).toBe("FACTORS_FOLD_IN");
    expect(after.historyLength).toBe(3);
    expect(after.items.map((i) => i.itemId)).not.toEqual(before.items.map((i) => i.itemId));
    // excludeSeen (default): the clicked items are not offered again.
    for (const item of after.items) expect(clicked).not.toContain(item.itemId);
    // Reasons name the clicked items, with titles from the catalogue version.
    for (const item of after.items) {
      expect(item.reasons.length).toBeGreaterThan(0);
      expect(clicked).toContain(item.reasons[0]!.itemId);
      expect(item.reasons[0]!.label).toMatch(/because you interacted with/);
    }
    // The clicked category gains ground over the popularity list.
    const share = (items: TItem[]) => items.filter((i) => i.category === category).length;
    expect(share(after.items)).toBeGreaterThan(share(before.items));

    const withSeen = await recommend({ userId, first: 10, excludeSeen: false });
    expect(withSeen.items.some((i) => clicked.includes(i.itemId))).toBe(true);
  });

  it("excludes what a training user already bought, and filters by category and price", async () => {
    const userId = log.userIds[0]!;
    const seen = new Set(Array.from(csrRow(matrixFromLog(log), 0).indices, (i) => log.itemIds[i]!));
    const recs = await recommend({ userId, first: 20 });
    expect(recs.source).toBe("FACTORS_USER");
    expect(recs.historyLength).toBe(0);
    for (const item of recs.items) expect(seen.has(item.itemId)).toBe(false);

    const category = products[0]!.category;
    const inCategory = await recommend({ userId, first: 10, filter: { categories: [category] } });
    expect(inCategory.items.length).toBeGreaterThan(0);
    for (const item of inCategory.items) expect(item.category).toBe(category);

    const cheap = await recommend({ userId, first: 10, filter: { priceMin: 5, priceMax: 30 } });
    expect(cheap.items.length).toBeGreaterThan(0);
    for (const item of cheap.items) {
      expect(item.price).not.toBeNull();
      expect(item.price!).toBeGreaterThanOrEqual(5);
      expect(item.price!).toBeLessThanOrEqual(30);
    }
    const bad = await stack.gql(RECOMMEND, { userId, filter: { priceMin: 50, priceMax: 10 } });
    expect(bad.errors?.[0]?.message).toMatch(/priceMin 50 is above filter.priceMax 10/);
  });

  it("stores the valid events of a batch and names the index and field of each bad one", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const result = await track([
      { userId: "u-batch", itemId: log.itemIds[0], type: "view" },
      { userId: "", itemId: log.itemIds[1], type: "click" },
      { userId: "u-batch", itemId: log.itemIds[2], type: "teleport" },
      { userId: "u-batch", itemId: log.itemIds[3], type: "purchase", ts: future },
    ]);
    expect(result.data!.trackEvents.accepted).toBe(1);
    expect(result.data!.trackEvents.errors).toEqual([
      { index: 1, field: "userId", message: "userId is empty" },
      {
        index: 2,
        field: "type",
        message: 'type "teleport" is not one of view, click, favourite, cart, purchase',
      },
      { index: 3, field: "ts", message: expect.stringMatching(/more than 5 minutes in the future/) },
    ]);
    expect(await stack.deps.db.liveEvent.count({ where: { userId: "u-batch" } })).toBe(1);
    const history = await stack.gql<{ userEvents: { itemId: string; type: string; title: string | null }[] }>(
      '{ userEvents(userId: "u-batch") { itemId type title } }',
    );
    expect(history.data!.userEvents).toEqual([
      { itemId: log.itemIds[0], type: "view", title: expect.any(String) },
    ]);
  });

  it("lets a CLIENT key recommend and track, and refuses tracking to a VIEWER", async () => {
    const keyOf = async (role: string) => {
      const created = await stack.gql<{ createApiKey: { key: string } }>(
        `mutation { createApiKey(name: "serving-${role}", role: ${role}) { key } }`,
      );
      return created.data!.createApiKey.key;
    };
    const client = await keyOf("CLIENT");
    const viewer = await keyOf("VIEWER");
    const event = { userId: "u-roles", itemId: log.itemIds[0], type: "view" };
    const tracked = await stack.gql(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
      { events: [event] },
      client,
    );
    expect(tracked.data).toEqual({ trackEvents: { accepted: 1 } });
    const recs = await stack.gql<{ recommend: TRecs }>(RECOMMEND, { userId: "u-roles" }, client);
    expect(recs.data!.recommend.historyLength).toBe(1);
    const refused = await stack.gql(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
      { events: [event] },
      viewer,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("answers similarItems with the model's nearest items", async () => {
    const itemId = log.itemIds[5]!;
    const result = await stack.gql<{
      similarItems: { itemId: string; items: TItem[]; model: { id: string } };
    }>(
      `query($itemId: String!) { similarItems(itemId: $itemId, first: 5) {
        itemId model { id } items { itemId score reasons { kind itemId label weight } } } }`,
      { itemId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.similarItems.items).toHaveLength(5);
    expect(result.data!.similarItems.items.map((i) => i.itemId)).not.toContain(itemId);
    const missing = await stack.gql('{ similarItems(itemId: "no-such-item") { itemId } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("swaps to a newly promoted model on its announcement; the next answer names it", async () => {
    await writeModel(KNN_ID, knnArtifact(), { name: "shop", version: 2, status: "READY" });
    // Promotion as the registry does it: one transaction, then the announcement.
    await stack.deps.db.$transaction([
      stack.deps.db.modelVersion.update({ where: { id: ALS_ID }, data: { status: "READY" } }),
      stack.deps.db.modelVersion.update({
        where: { id: KNN_ID },
        data: { status: "ACTIVE", promotedAt: new Date() },
      }),
    ]);
    await publishActiveModel(stack.deps.redis, stack.queuePrefix, { name: "shop", modelVersionId: KNN_ID });
    const userId = "brand-new-shopper";
    const swapped = await waitFor(
      async () => {
        const recs = await recommend({ userId, first: 10 });
        return recs.model.id === KNN_ID ? recs : undefined;
      },
      { what: "the item-kNN model to answer" },
    );
    expect(swapped.model).toEqual({ id: KNN_ID, name: "shop", version: 2, algorithm: "ITEMKNN" });
    // The same three clicks now drive an item-kNN answer over the session.
    expect(swapped.source).toBe("NEIGHBOURS_HISTORY");
    expect(swapped.historyLength).toBe(3);
    expect(swapped.items[0]!.reasons[0]!.kind).toBe("HISTORY_ITEM");
  });

  it("loads the ACTIVE version of each name at start-up (a process that missed the announcements)", async () => {
    const store = new ModelStore(stack.deps);
    try {
      await store.start();
      expect(store.list().map((m) => [m.name, m.id, m.algorithm])).toEqual([["shop", KNN_ID, "ITEMKNN"]]);
      expect(store.get("shop").catalog?.categories.length).toBeGreaterThan(1);
      expect(() => store.get("other")).toThrow(/No ACTIVE model named "other"/);
    } finally {
      await store.close();
    }
  });
});
