import { readFileSync } from "node:fs";
import { appendFile, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { csvLine } from "@dam/demo-shop/csv";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ModelStore } from "../src/modules/serving/model-store.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The content model end to end on a small demo shop: a fused feature set (text embedding, category,
// attributes, popularity), CONTENT_RIDGE trained through the API and promoted, then a newer catalogue
// version with new products: its READY hook extends the feature set with the new rows only, the
// served model picks them up on the announcement (no retraining), and the steward's new-item share
// puts the new product that matches a shopper's history into their answer, marked and explained.
const SHOP = { seed: 5, products: 160, users: 240, events: 14_000, days: 30 };
const CATALOG_ROLES = {
  item_id: "itemId",
  title: "title",
  description: "description",
  category: "category",
  subcategory: "productType",
  brand: "brand",
  colour: "colour",
  material: "material",
  price: "price",
} as const;

type TProduct = Record<string, string>;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let store: ModelStore;
let dir: string;
let productsFile: string;
let products: TProduct[];
let eventsVersionId: string;
let catalogVersionId: string;
let featureSetId: string;
let modelId: string;
let shopper: { userId: string; favourite: TProduct };

const waitForJob = (jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 120_000 },
  );

const importCatalog = (file: string) =>
  importAndWait(stack, {
    name: "shop_products",
    kind: "CATALOG",
    source: { paths: [file], format: "csv", roles: CATALOG_ROLES, types: {} },
  });

const RECOMMEND = `query($userId: String!, $first: Int) {
  recommend(userId: $userId, first: $first) {
    source newItemShare
    items { itemId title category fromNewItems reasons { kind block label weight } }
    model { id algorithm itemCount }
  }
}`;
type TRecs = {
  source: string;
  newItemShare: number;
  items: {
    itemId: string;
    title: string | null;
    category: string | null;
    fromNewItems: boolean;
    reasons: { kind: string; block: string | null; label: string; weight: number }[];
  }[];
  model: { id: string; algorithm: string; itemCount: number };
};
const recommend = async (userId: string, first = 10) => {
  const result = await stack.gql<{ recommend: TRecs }>(RECOMMEND, { userId, first });
  expect(result.errors).toBeUndefined();
  return result.data!.recommend;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-content-"));
  stack = await startTestStack({ ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "features", "training"]);
  const { files } = await writeDemoShop(path.join(dir, "shop"), SHOP);
  productsFile = files.products;
  products = parse(readFileSync(files.products), { columns: true });
  const catalog = await importCatalog(files.products);
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
  // The shopper with most events, and the product they touched most.
  const rows: { user_id: string; item_id: string }[] = parse(readFileSync(files.events), { columns: true });
  const byUser = new Map<string, Map<string, number>>();
  for (const row of rows) {
    if (!row.user_id || !row.item_id) continue;
    const items = byUser.get(row.user_id) ?? new Map<string, number>();
    items.set(row.item_id, (items.get(row.item_id) ?? 0) + 1);
    byUser.set(row.user_id, items);
  }
  const [userId, items] = [...byUser.entries()].sort((a, b) => b[1].size - a[1].size)[0]!;
  const favouriteId = [...items.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  shopper = { userId, favourite: products.find((p) => p.item_id === favouriteId)! };
  store = new ModelStore(stack.deps);
  await store.start();
}, 240_000);

afterAll(async () => {
  await store?.close();
  await workers?.stop();
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the content model", () => {
  it("trains CONTENT_RIDGE on a fused feature set, with lambda chosen and new-item metrics in the registry", async () => {
    const embed = await stack.gql<{ embedCatalog: { id: string; inputIds: string[] } }>(
      'mutation($v: ID!) { embedCatalog(input: { versionId: $v, template: "{title}. {description}" }) { id inputIds } }',
      { v: catalogVersionId },
    );
    expect(embed.errors).toBeUndefined();
    expect((await waitForJob(embed.data!.embedCatalog.id, "embedding")).status).toBe("COMPLETED");
    const fuse = await stack.gql<{ buildFeatureSet: { id: string } }>(
      'mutation($r: JSON!) { buildFeatureSet(name: "shop_fused", recipe: $r) { id } }',
      {
        r: {
          catalogVersionId,
          embeddingSetId: embed.data!.embedCatalog.inputIds[0],
          eventsVersionId,
        },
      },
    );
    expect(fuse.errors).toBeUndefined();
    const fused = await waitForJob(fuse.data!.buildFeatureSet.id, "fusion");
    expect(fused.status).toBe("COMPLETED");
    featureSetId = (fused.outputIds as string[])[0]!;

    const missing = await stack.gql(
      "mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }",
      { input: { name: "content", algorithm: "CONTENT_RIDGE", eventsVersionId } },
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(missing.errors?.[0]?.message).toMatch(/^featureSetId: CONTENT_RIDGE reads item features/);

    const started = await stack.gql<{ trainModel: { id: string; inputIds: string[] } }>(
      "mutation($input: TrainModelInput!) { trainModel(input: $input) { id inputIds } }",
      {
        input: {
          name: "content",
          algorithm: "CONTENT_RIDGE",
          eventsVersionId,
          catalogVersionId,
          featureSetId,
          params: { lambda: [0.002, 0.02] },
        },
      },
    );
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(started.data!.trainModel.id, "training");
    expect(job.error).toBeNull();
    modelId = started.data!.trainModel.inputIds[0]!;
    const read = await stack.gql<{
      modelVersion: {
        status: string;
        selectedParams: { lambda: number };
        metrics: { ndcg: number };
        newItemMetrics: {
          items: number;
          users: number;
          model: { recall: number };
          popularity: { recall: number };
          randomRecall: number;
        };
        inputs: { role: string; label: string }[];
      };
    }>(
      `query($id: ID!) { modelVersion(id: $id) { status selectedParams metrics { ndcg }
        newItemMetrics { items users model { recall } popularity { recall } randomRecall }
        inputs { role label } } }`,
      { id: modelId },
    );
    expect(read.errors).toBeUndefined();
    const model = read.data!.modelVersion;
    expect(model.status).toBe("READY");
    expect([0.002, 0.02]).toContain(model.selectedParams.lambda);
    expect(model.metrics.ndcg).toBeGreaterThan(0);
    expect(model.newItemMetrics.items).toBeGreaterThan(0);
    // Ranked by features alone, the held-out items are found better than by chance.
    expect(model.newItemMetrics.model.recall).toBeGreaterThan(model.newItemMetrics.randomRecall);
    expect(model.inputs.find((input) => input.role === "features")?.label).toBe("shop_fused v1");
  }, 300_000);

  it("serves the promoted model with a fold-in of the shopper's history and feature blocks as reasons", async () => {
    const promoted = await stack.gql("mutation($id: ID!) { promoteModel(id: $id) { id status } }", {
      id: modelId,
    });
    expect(promoted.errors).toBeUndefined();
    await waitFor(async () => (store.list().some((m) => m.id === modelId) ? true : undefined), {
      what: "the promoted content model to load",
    });
    const answer = await recommend(shopper.userId);
    expect(answer.model.algorithm).toBe("CONTENT_RIDGE");
    expect(answer.source).toBe("CONTENT_FOLD_IN");
    expect(answer.items).toHaveLength(10);
    expect(answer.newItemShare).toBe(0);
    const reason = answer.items[0]!.reasons[0]!;
    expect(reason.kind).toBe("FEATURE_BLOCK");
    expect(["text", "category", "attributes", "numeric"]).toContain(reason.block);
    expect(reason.label).toContain(reason.block!);
  });

  it("scores the products of a newer catalogue version at once and mixes them in by the steward's share", async () => {
    const before = (await recommend(shopper.userId)).model.itemCount;
    // The new catalogue: every product again, plus a twin of the shopper's favourite and four others.
    const nextFile = path.join(dir, "products-v2.csv");
    await copyFile(productsFile, nextFile);
    const twin = {
      ...shopper.favourite,
      item_id: "NEW-TWIN",
      title: `${shopper.favourite.title} (new season)`,
    };
    const others = products
      .filter((p) => p.category !== shopper.favourite.category)
      .slice(0, 4)
      .map((p, n) => ({ ...p, item_id: `NEW-OTHER-${n}`, title: `${p.title} (new)` }));
    const columns = Object.keys(shopper.favourite);
    await appendFile(nextFile, [twin, ...others].map((row) => csvLine<TProduct>(row, columns)).join(""));
    const next = await importCatalog(nextFile);
    expect(next.version.status).toBe("READY");
    const extension = await waitFor(
      async () =>
        (await stack.deps.db.job.findFirst({
          where: { bullId: `extend-${featureSetId}-${next.version.id}`, status: "COMPLETED" },
        })) ?? undefined,
      { what: "the feature set extension", timeoutMs: 120_000 },
    );
    expect(extension.result).toMatchObject({ added: 5, count: SHOP.products + 5 });
    // The announcement reloads the served model: five more items, no new model version.
    await waitFor(async () => (store.get("content").scorer.itemCount === before + 5 ? true : undefined), {
      what: "the served content model to add the new items",
    });

    const refused = await stack.gql(
      'mutation { setNewItemShare(modelName: "content", share: 1.5) { share } }',
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]?.message).toMatch(/^share must be between 0 and 1/);
    const set = await stack.gql<{ setNewItemShare: { share: number } }>(
      'mutation { setNewItemShare(modelName: "content", share: 0.2) { modelName share updatedAt } }',
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setNewItemShare.share).toBe(0.2);
    expect(
      await stack.deps.db.auditEvent.count({
        where: { action: "serving.newItemShare", targetId: "content" },
      }),
    ).toBe(1);

    const answer = await recommend(shopper.userId);
    expect(answer.newItemShare).toBe(0.2);
    const fresh = answer.items.filter((item) => item.fromNewItems);
    expect(fresh).toHaveLength(2);
    // The twin of the shopper's favourite leads the new items, with its title from the new version.
    expect(fresh[0]!.itemId).toBe("NEW-TWIN");
    expect(fresh[0]!.title).toBe(twin.title);
    expect(fresh[0]!.reasons[0]!.kind).toBe("FEATURE_BLOCK");
    expect(answer.items.indexOf(fresh[0]!)).toBe(4);
  }, 300_000);
});
