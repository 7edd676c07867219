import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DatasetKind } from "@dam/db/client";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { readUsableVersion } from "../src/modules/datasets/usable-version.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-quality-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const waitForJob = (bullId: string, what: string) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findFirst({ where: { bullId } });
      return job && ["COMPLETED", "FAILED"].includes(job.status) ? job : undefined;
    },
    { what, timeoutMs: 45_000 },
  );

/** Imports a file and waits for its load and its import-triggered quality run. */
const importAndWait = async (name: string, file: string, kind: DatasetKind = "OTHER") => {
  const { dataset, version } = await createFileImport(stack.deps, null, {
    name,
    kind,
    source: { paths: [file], format: "csv", roles: {}, types: {} },
  });
  const ingest = await waitForJob(`ingest-${version.id}`, `import of ${name}`);
  expect(ingest.status).toBe("COMPLETED");
  const quality = await waitForJob(`quality-run-${version.id}`, `quality run of ${name}`);
  expect(quality.status).toBe("COMPLETED");
  return { datasetId: dataset.id, versionId: version.id };
};

const CREATE_RULE = `mutation($datasetId: ID!, $input: QualityRuleInput!) {
  createQualityRule(datasetId: $datasetId, input: $input) { id name }
}`;

const addRules = async (
  datasetId: string,
  rules: { name: string; type: string; params: unknown; severity?: "WARN" | "ERROR" }[],
) => {
  for (const rule of rules) {
    const response = await stack.gql(CREATE_RULE, { datasetId, input: { severity: "WARN", ...rule } });
    expect(response.errors, rule.name).toBeUndefined();
  }
};

/** Runs the dataset's rules on a version through the API and returns the results by rule name. */
const checkVersion = async (versionId: string) => {
  const started = await stack.gql<{ runQualityCheck: { id: string } }>(
    `mutation($versionId: ID!) { runQualityCheck(versionId: $versionId) { id } }`,
    { versionId },
  );
  expect(started.errors).toBeUndefined();
  await waitForJob(`quality-run-${versionId}`, "manual quality run");
  const runs = await stack.gql<{
    qualityRuns: {
      edges: {
        node: {
          status: string;
          score: number | null;
          trigger: string;
          results: {
            rule: { name: string };
            passed: boolean;
            failingCount: number;
            checkedCount: number;
            observed: Record<string, unknown>;
            samples: Record<string, unknown>[];
          }[];
        };
      }[];
    };
  }>(
    `query($versionId: ID!) { qualityRuns(versionId: $versionId, first: 1) { edges { node {
      status score trigger results { rule { name } passed failingCount checkedCount observed samples } } } } }`,
    { versionId },
  );
  expect(runs.errors).toBeUndefined();
  const run = runs.data!.qualityRuns.edges[0]!.node;
  expect(run.trigger).toBe("manual");
  return { run, byName: new Map(run.results.map((result) => [result.rule.name, result])) };
};

describe("quality rules on a hand-made file", () => {
  it("finds exactly the planted failures of every rule type, with samples by line, and gates the version", async () => {
    const categories = path.join(dir, "categories.csv");
    await writeFile(categories, "name,alias\nkitchen,kitchen\ngarden,home\n");
    const cats = await importAndWait("categories", categories);

    const items = path.join(dir, "items.csv");
    const lines = [
      "id,sku,name,price,status,created_at,category", // line 1
      "1,SKU-001,Mug,4.50,active,2026-10-30T10:00:00Z,kitchen", // 2
      "2,SKU-002,,12.00,active,2026-10-30T11:00:00Z,kitchen", // 3: no name
      "3,sku_3,Lamp,-1,retired,2026-10-31T10:00:00Z,home", // 4: bad sku, negative price, retired, unknown category
      "4,SKU-004,A very long product name,8.00,active,2026-10-31T12:00:00Z,home", // 5: long name, unknown category
      "2,SKU-005,Plate,6.00,active,2026-10-29T10:00:00Z,kitchen", // 6: repeats id 2
      "6,SKU-006,Bowl,900,active,2026-10-29T10:00:00Z,kitchen", // 7: x100 price
    ];
    await writeFile(items, `${lines.join("\n")}\n`);
    const first = await importAndWait("items", items);
    await addRules(first.datasetId, [
      { name: "name present", type: "not_null", params: { column: "name" }, severity: "ERROR" },
      { name: "id present", type: "not_null", params: { column: "id" } },
      { name: "id unique", type: "unique", params: { columns: ["id"] } },
      { name: "id+sku unique", type: "unique", params: { columns: ["id", "sku"] } },
      { name: "price positive", type: "range", params: { column: "price", min: 0 } },
      { name: "price below 1000", type: "range", params: { column: "price", max: 1000 } },
      { name: "sku format", type: "regex", params: { column: "sku", pattern: "^SKU-[0-9]{3}$" } },
      { name: "sku loose", type: "regex", params: { column: "sku", pattern: "^(SKU|sku)[-_]" } },
      { name: "status active", type: "allowed_set", params: { column: "status", values: ["active"] } },
      {
        name: "status known",
        type: "allowed_set",
        params: { column: "status", values: ["active", "retired"] },
      },
      { name: "name short", type: "length", params: { column: "name", max: 20 } },
      { name: "name not huge", type: "length", params: { column: "name", min: 1, max: 100 } },
      { name: "at least 10 rows", type: "row_count", params: { min: 10 } },
      { name: "not empty", type: "row_count", params: { min: 1 } },
      { name: "fresh within 1h", type: "freshness", params: { column: "created_at", maxAgeHours: 1 } },
      {
        name: "fresh within 100y",
        type: "freshness",
        params: { column: "created_at", maxAgeHours: 876_000 },
      },
      {
        name: "category known",
        type: "ref_integrity",
        params: { column: "category", refDatasetId: cats.datasetId, refColumn: "name" },
      },
      {
        name: "category alias known",
        type: "ref_integrity",
        params: { column: "category", refDatasetId: cats.datasetId, refColumn: "alias" },
      },
      { name: "no pricey", type: "custom_sql", params: { sql: "SELECT * FROM {{table}} WHERE price > 100" } },
      { name: "no free", type: "custom_sql", params: { sql: "SELECT * FROM {{table}} WHERE price = 0" } },
      {
        name: "price vs category",
        type: "outlier",
        params: { column: "price", groupBy: "category", maxRatio: 10 },
      },
      { name: "id spread", type: "outlier", params: { column: "id", maxRatio: 10 } },
      {
        name: "category drift",
        type: "drift",
        params: { column: "category", method: "psi", threshold: 0.1 },
      },
    ]);

    const { run, byName } = await checkVersion(first.versionId);
    const failing = (name: string) => {
      const result = byName.get(name);
      expect(result, name).toBeDefined();
      return [result!.failingCount, result!.passed, result!.samples.map((row) => Number(row._line))];
    };
    expect(failing("name present")).toEqual([1, false, [3]]);
    expect(failing("id present")).toEqual([0, true, []]);
    expect(failing("id unique")).toEqual([1, false, [6]]);
    expect(failing("id+sku unique")).toEqual([0, true, []]);
    expect(failing("price positive")).toEqual([1, false, [4]]);
    expect(failing("price below 1000")).toEqual([0, true, []]);
    expect(failing("sku format")).toEqual([1, false, [4]]);
    expect(failing("sku loose")).toEqual([0, true, []]);
    expect(failing("status active")).toEqual([1, false, [4]]);
    expect(failing("status known")).toEqual([0, true, []]);
    expect(failing("name short")).toEqual([1, false, [5]]);
    expect(failing("name not huge")).toEqual([0, true, []]);
    expect(failing("at least 10 rows")).toEqual([1, false, []]);
    expect(failing("not empty")).toEqual([0, true, []]);
    expect(failing("fresh within 1h")).toEqual([1, false, []]);
    expect(failing("fresh within 100y")).toEqual([0, true, []]);
    expect(failing("category known")).toEqual([2, false, [4, 5]]);
    expect(failing("category alias known")).toEqual([0, true, []]);
    expect(failing("no pricey")).toEqual([1, false, [7]]);
    expect(failing("no free")).toEqual([0, true, []]);
    // kitchen median 9: 900 > 90; home median 3.5: -1 < 0.35.
    expect(failing("price vs category")).toEqual([2, false, [4, 7]]);
    expect(failing("id spread")).toEqual([0, true, []]);
    expect(failing("category drift")).toEqual([0, true, []]);
    expect(byName.get("category drift")?.observed.skipped).toMatch(/no previous/);
    expect(byName.get("no pricey")?.samples[0]).toMatchObject({ name: "Bowl", price: 900 });
    expect(byName.get("at least 10 rows")?.observed).toMatchObject({ rowCount: 6 });
    expect(byName.get("name present")?.checkedCount).toBe(6);
    expect(run.status).toBe("FAILED");
    expect(run.score).toBeGreaterThan(0);
    expect(run.score).toBeLessThan(1);

    // A re-run of the same job writes over its own run instead of adding results.
    const resultCount = await stack.deps.db.qualityResult.count({
      where: { run: { versionId: first.versionId } },
    });
    expect(resultCount).toBe(23);

    // The gate: the ERROR rule failed, so downstream use is refused until a steward overrides it.
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: first.versionId } });
    expect(version.qualityFailed).toBe(true);
    expect(version.qualityScore).toBeCloseTo(run.score!, 10);
    await expect(readUsableVersion(stack.deps, first.versionId)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { reason: "QUALITY_GATE" },
    });
    // Cleaning and quality runs read it all the same (issue 16).
    await expect(
      readUsableVersion(stack.deps, first.versionId, { qualityGate: false }),
    ).resolves.toMatchObject({
      ok: true,
    });
    const override = await stack.gql<{ overrideQualityGate: { qualityOverride: boolean } }>(
      `mutation($v: ID!, $r: String!) { overrideQualityGate(versionId: $v, reason: $r) { qualityOverride qualityFailed } }`,
      { v: first.versionId, r: "Names are filled in by the next feed" },
    );
    expect(override.errors).toBeUndefined();
    expect(override.data?.overrideQualityGate.qualityOverride).toBe(true);
    await expect(readUsableVersion(stack.deps, first.versionId)).resolves.toMatchObject({ ok: true });
    const audit = await stack.deps.db.auditEvent.findFirst({
      where: { action: "quality.override", targetId: first.versionId },
    });
    expect(audit?.details).toMatchObject({ reason: "Names are filled in by the next feed" });

    // Version 2: all categories shift to "home"; the PSI against version 1 flags it.
    const shifted = path.join(dir, "items-v2.csv");
    await writeFile(
      shifted,
      `${[lines[0], ...[1, 2, 3, 4, 5, 6].map((id) => `${id},SKU-00${id},Item ${id},5,active,2026-10-31T10:00:00Z,home`)].join("\n")}\n`,
    );
    const second = await importAndWait("items", shifted);
    const drift = (await checkVersion(second.versionId)).byName.get("category drift");
    expect(drift?.passed).toBe(false);
    // bins (expected, actual): home 2/6 -> 6/6, kitchen 4/6 -> 0 (floored at 1e-4).
    const psi = (1 - 2 / 6) * Math.log(1 / (2 / 6)) + (1e-4 - 4 / 6) * Math.log(1e-4 / (4 / 6));
    expect(drift?.observed.psi as number).toBeCloseTo(psi, 6);

    const trend = await stack.gql<{ qualityTrend: { versionNumber: number; score: number }[] }>(
      `query($d: ID!) { qualityTrend(datasetId: $d) { versionNumber score at } }`,
      { d: first.datasetId },
    );
    expect(trend.data?.qualityTrend.map((point) => point.versionNumber)).toEqual([1, 2]);
  });

  it("refuses bad rules with the field named, and viewers may read but not write", async () => {
    const dataset = await stack.deps.db.dataset.create({ data: { name: "rules_only", kind: "OTHER" } });
    const bad = await stack.gql(CREATE_RULE, {
      datasetId: dataset.id,
      input: { name: "bad range", type: "range", params: { column: "price", min: 5, max: 1 } },
    });
    expect(bad.errors?.[0]?.message).toBe("params.min: min must not exceed max");
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badCron = await stack.gql(CREATE_RULE, {
      datasetId: dataset.id,
      input: { name: "cron", type: "row_count", params: { min: 1 }, schedule: "every day" },
    });
    expect(badCron.errors?.[0]?.extensions?.field).toBe("schedule");
  });
});

describe("the demo shop's planted dirt", () => {
  it("is found exactly: duplicates, gaps, price outliers, unknown items, missing users", async () => {
    const shopDir = path.join(dir, "shop");
    const { files, truth } = await writeDemoShop(shopDir, { seed: 42, events: 20_000 });
    const products = await importAndWait("shop_products", files.products, "CATALOG");
    const events = await importAndWait("shop_events", files.events, "EVENTS");

    await addRules(products.datasetId, [
      { name: "item_id unique", type: "unique", params: { columns: ["item_id"] } },
      { name: "title present", type: "not_null", params: { column: "title" } },
      { name: "description present", type: "not_null", params: { column: "description" } },
      { name: "price present", type: "not_null", params: { column: "price" } },
      // Prices are log-normal around each product type's median with sigma <= 0.6, so a real price is
      // more than 10x from its subcategory's median only beyond 3.8 sigma; planted outliers are x100-x1000.
      {
        name: "price vs subcategory",
        type: "outlier",
        params: { column: "price", groupBy: "subcategory", maxRatio: 10 },
      },
    ]);
    await addRules(events.datasetId, [
      { name: "event_id unique", type: "unique", params: { columns: ["event_id"] } },
      {
        name: "item known",
        type: "ref_integrity",
        params: { column: "item_id", refDatasetId: products.datasetId, refColumn: "item_id" },
      },
      { name: "user present", type: "not_null", params: { column: "user_id" } },
    ]);

    const catalog = (await checkVersion(products.versionId)).byName;
    const dirt = truth.dirt.products;
    expect(catalog.get("item_id unique")?.failingCount).toBe(dirt.duplicateRows.count);
    expect(catalog.get("title present")?.failingCount).toBe(dirt.missingTitle.count);
    expect(catalog.get("description present")?.failingCount).toBe(dirt.missingDescription.count);
    expect(catalog.get("price present")?.failingCount).toBe(dirt.missingPrice.count);
    expect(catalog.get("price vs subcategory")?.failingCount).toBe(dirt.priceOutliers.count);
    const outlierSample = catalog.get("price vs subcategory")?.samples.map((row) => row.item_id);
    expect(outlierSample?.every((id) => dirt.priceOutliers.ids.includes(String(id)))).toBe(true);
    expect(catalog.get("item_id unique")?.checkedCount).toBe(truth.counts.productRows);

    const behaviour = (await checkVersion(events.versionId)).byName;
    const eventDirt = truth.dirt.events;
    expect(behaviour.get("event_id unique")?.failingCount).toBe(eventDirt.duplicateRows.count);
    expect(behaviour.get("item known")?.failingCount).toBe(eventDirt.unknownItem.count);
    expect(behaviour.get("item known")?.observed.missingKeys).toBe(
      eventDirt.unknownItem.unknownItemIds.length,
    );
    expect(behaviour.get("user present")?.failingCount).toBe(eventDirt.missingUser.count);
    const missingUserSample = behaviour.get("user present")?.samples.map((row) => row.event_id);
    expect(missingUserSample?.every((id) => eventDirt.missingUser.ids.includes(String(id)))).toBe(true);
  });
});
