import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The real UCI Online Retail transactions (../shared/datasets, read in place): customers profiled with
// RFM over the extracted product categories and segmented. Skipped when the data set is missing.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const UCI = path.resolve(ROOT, "../shared/datasets/uci-online-retail");
const PARTS = [
  "online_retail_2010-12_to_2011-05.csv.gz",
  "online_retail_2011-06_to_2011-09.csv.gz",
  "online_retail_2011-10_to_2011-12.csv.gz",
].map((name) => path.join(UCI, name));
const PRODUCTS = path.join(UCI, "products.csv");
const PRESENT = [...PARTS, PRODUCTS].every((file) => existsSync(file));

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;

beforeAll(async () => {
  if (!PRESENT) return;
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "features"]);
}, 120_000);
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const finished = (id: string, what: string) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && ["COMPLETED", "FAILED", "CANCELLED"].includes(job.status) ? job : undefined;
    },
    { what, timeoutMs: 300_000, intervalMs: 500 },
  );

describe.skipIf(!PRESENT)("UCI Online Retail customers: RFM profiles and segments", () => {
  if (!PRESENT) console.warn(`skipped: UCI Online Retail not found under ${UCI}`);

  it("profiles all 4,372 customers with RFM and category shares, and segments them", async () => {
    const transactions = await importAndWait(
      stack,
      {
        name: "uci_transactions",
        kind: "TRANSACTIONS",
        source: {
          paths: PARTS,
          format: "csv",
          roles: {
            InvoiceNo: "orderId",
            StockCode: "itemId",
            CustomerID: "userId",
            InvoiceDate: "timestamp",
            Quantity: "quantity",
            UnitPrice: "price",
          },
          types: {},
        },
      },
      300_000,
    );
    expect(Number(transactions.version.rowCount)).toBe(541_909);
    const products = await importAndWait(stack, {
      name: "uci_products",
      kind: "CATALOG",
      source: {
        paths: [PRODUCTS],
        format: "csv",
        roles: { StockCode: "itemId", Description: "title", MedianUnitPrice: "price" },
        types: {},
      },
    });
    const extract = await stack.gql<{ extractAttributes: { id: string; inputIds: string[] } }>(
      "mutation($v: ID!) { extractAttributes(input: { versionId: $v }) { id inputIds } }",
      { v: products.version.id },
    );
    expect((await finished(extract.data!.extractAttributes.id, "attributes")).error).toBeNull();
    const catalogVersionId = extract.data!.extractAttributes.inputIds[0]!;

    const profiled = await stack.gql<{ profileUsers: { profileSet: { id: string }; job: { id: string } } }>(
      "mutation($e: ID!, $p: JSON) { profileUsers(eventsVersionId: $e, params: $p) { profileSet { id } job { id } } }",
      { e: transactions.version.id, p: { catalogVersionId } },
    );
    expect(profiled.errors).toBeUndefined();
    expect((await finished(profiled.data!.profileUsers.job.id, "profiles")).error).toBeNull();
    const profileSetId = profiled.data!.profileUsers.profileSet.id;
    const set = await stack.gql<{ profileSet: { userCount: number; features: string[]; asOf: string } }>(
      "query($id: ID!) { profileSet(id: $id) { userCount features asOf } }",
      { id: profileSetId },
    );
    expect(set.data!.profileSet.userCount).toBe(4_372);
    expect(set.data!.profileSet.asOf).toBe("2011-12-09T12:50:00.000Z");
    const features = set.data!.profileSet.features;
    expect(features).toEqual(
      expect.arrayContaining(["rfm.recencyDays", "rfm.frequency", "rfm.monetary", "category.Home Decor"]),
    );

    // Customer 12346 bought 74,215 units of one product on 2011-01-18 and cancelled them the same day:
    // one order, money netted to 0, last seen 325 days before the data set's last invoice.
    const one = await stack.gql<{ userProfile: { features: number[] } | null }>(
      'query($id: ID!) { userProfile(profileSetId: $id, userId: "12346") { features } }',
      { id: profileSetId },
    );
    const value = (name: string) => one.data!.userProfile!.features[features.indexOf(name)]!;
    expect(value("rfm.frequency")).toBe(1);
    expect(value("rfm.monetary")).toBeCloseTo(0, 2);
    expect(value("rfm.recencyDays")).toBeCloseTo(325.1, 1);

    const segmented = await stack.gql<{ segmentUsers: { segmentSet: { id: string }; job: { id: string } } }>(
      "mutation($p: ID!, $params: JSON) { segmentUsers(profileSetId: $p, params: $params) { segmentSet { id } job { id } } }",
      { p: profileSetId, params: { kMin: 3, kMax: 8, features: { categories: 1, bands: 0.5, rfm: 1 } } },
    );
    expect((await finished(segmented.data!.segmentUsers.job.id, "segments")).error).toBeNull();
    const segments = await stack.gql<{
      segmentSet: {
        metrics: { k: number; silhouette: number };
        segments: { size: number; name: string; rfm: { monetaryMean: number } }[];
      };
    }>("query($id: ID!) { segmentSet(id: $id) { metrics segments { size name rfm { monetaryMean } } } }", {
      id: segmented.data!.segmentUsers.segmentSet.id,
    });
    const result = segments.data!.segmentSet;
    expect(result.segments.length).toBe(result.metrics.k);
    expect(result.metrics.k).toBeGreaterThanOrEqual(3);
    expect(result.segments.reduce((sum, s) => sum + s.size, 0)).toBe(4_372);
    expect(result.segments.every((s) => s.name.length > 0)).toBe(true);
    // RFM separates customers: the segments' mean spend is not one value.
    const spends = result.segments.map((s) => s.rfm.monetaryMean);
    expect(Math.max(...spends)).toBeGreaterThan(2 * Math.min(...spends));
  }, 900_000);
});
