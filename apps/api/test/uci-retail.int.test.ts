import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { qualifiedTable } from "@dam/db/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The real UCI Online Retail data (../shared/datasets, never copied into the project): the whole
// 541,909 lines go in, and the rules must report what SOURCE.md documents is really there.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const UCI = path.resolve(ROOT, "../shared/datasets/uci-online-retail");
const PARTS = [
  "online_retail_2010-12_to_2011-05.csv.gz",
  "online_retail_2011-06_to_2011-09.csv.gz",
  "online_retail_2011-10_to_2011-12.csv.gz",
].map((name) => path.join(UCI, name));
const PRESENT = PARTS.every((part) => existsSync(part));
const PRODUCT_CODE = "^[0-9]{5}[A-Za-z]?$";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;

beforeAll(async () => {
  if (!PRESENT) return;
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
}, 120_000);
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const finished = (id: string, what: string, timeoutMs = 150_000) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && ["COMPLETED", "FAILED", "CANCELLED"].includes(job.status) ? job : undefined;
    },
    { timeoutMs, intervalMs: 250, what },
  );

const count = async (table: string, where: string) => {
  const result = await stack.deps.pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${qualifiedTable(table)} WHERE ${where}`,
  );
  return Number(result.rows[0]?.n);
};

describe.skipIf(!PRESENT)("UCI Online Retail, end to end", () => {
  if (!PRESENT) console.warn(`skipped: UCI Online Retail not found under ${UCI}`);

  it("loads every line, finds the documented dirt, cleans it and traces raw -> clean", async () => {
    const { createFileImport } = await import("../src/modules/datasets/datasets.service.ts");
    const { dataset, version, job } = await createFileImport(stack.deps, null, {
      name: "uci_online_retail",
      kind: "TRANSACTIONS",
      source: {
        paths: PARTS,
        format: "csv",
        roles: { InvoiceNo: "orderId", StockCode: "itemId", CustomerID: "userId" },
        types: {},
      },
    });
    expect((await finished(job.id, "the import")).status).toBe("COMPLETED");
    const raw = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect([Number(raw.rowCount), Number(raw.rejectedCount)]).toEqual([541_909, 0]);

    const rules = [
      { name: "not cancelled", type: "regex", params: { column: "invoice_no", pattern: "^[^C]" } },
      { name: "customer known", type: "not_null", params: { column: "customer_id" } },
      { name: "described", type: "not_null", params: { column: "description" } },
      { name: "positive quantity", type: "range", params: { column: "quantity", min: 1 } },
      { name: "positive price", type: "range", params: { column: "unit_price", min: 0.0001 } },
      { name: "product code", type: "regex", params: { column: "stock_code", pattern: PRODUCT_CODE } },
    ];
    for (const rule of rules) {
      const created = await stack.gql(
        `mutation($datasetId: ID!, $input: QualityRuleInput!) { createQualityRule(datasetId: $datasetId, input: $input) { id } }`,
        { datasetId: dataset.id, input: { severity: "WARN", ...rule } },
      );
      expect(created.errors, rule.name).toBeUndefined();
    }
    type TRuns = {
      qualityRuns: { edges: { node: { results: { rule: { name: string }; failingCount: number }[] } }[] };
    };
    // A manual check asked while the version's automatic run (queued by its READY hooks, before the
    // rules existed) is still going joins that run, by its deterministic job id; once it is over, a new
    // request starts a fresh run. Ask until a finished run has checked all six rules (at most 3 times).
    let complete: TRuns["qualityRuns"]["edges"][number] | undefined;
    for (let attempt = 0; attempt < 3 && !complete; attempt += 1) {
      const run = await stack.gql<{ runQualityCheck: { id: string } }>(
        `mutation($versionId: ID!) { runQualityCheck(versionId: $versionId) { id } }`,
        { versionId: raw.id },
      );
      expect((await finished(run.data!.runQualityCheck.id, "the quality run")).status).toBe("COMPLETED");
      const results = await stack.gql<TRuns>(
        `query($versionId: ID!) { qualityRuns(versionId: $versionId, first: 10) { edges { node { results { rule { name } failingCount } } } } }`,
        { versionId: raw.id },
      );
      complete = results.data?.qualityRuns.edges.find(({ node }) =>
        rules.every((rule) => node.results.some((result) => result.rule.name === rule.name)),
      );
    }
    expect(complete, "a quality run with all six rules").toBeDefined();
    const failing = Object.fromEntries(
      (complete?.node.results ?? []).map((result) => [result.rule.name, result.failingCount]),
    );
    // Documented in the data set's SOURCE.md.
    expect(failing["not cancelled"]).toBe(9_288);
    expect(failing["customer known"]).toBe(135_080);
    expect(failing.described).toBe(1_454);
    // Not documented as numbers there: checked against independent SQL on the raw table.
    expect(failing["positive quantity"]).toBe(await count(raw.tableName, "quantity < 1"));
    expect(failing["positive quantity"]).toBeGreaterThan(9_000);
    expect(failing["positive price"]).toBe(await count(raw.tableName, "unit_price <= 0"));
    expect(failing["product code"]).toBe(await count(raw.tableName, `stock_code !~ '${PRODUCT_CODE}'`));

    const recipe = await stack.gql<{ createCleaningRecipe: { id: string } }>(
      `mutation($datasetId: ID!, $name: String!, $steps: JSON!) { createCleaningRecipe(input: { datasetId: $datasetId, name: $name, steps: $steps }) { id } }`,
      {
        datasetId: dataset.id,
        name: "sales lines only",
        steps: [
          { op: "drop_where", condition: { column: "invoice_no", op: "starts_with", value: "C" } },
          { op: "drop_where", condition: { column: "customer_id", op: "is_null" } },
          {
            op: "drop_where",
            condition: {
              any: [
                { column: "quantity", op: "lte", value: 0 },
                { column: "unit_price", op: "lte", value: 0 },
              ],
            },
          },
          {
            op: "drop_where",
            condition: { not: { column: "stock_code", op: "matches", value: PRODUCT_CODE } },
          },
          { op: "dedupe" },
        ],
      },
    );
    expect(recipe.errors).toBeUndefined();
    const cleaning = await stack.gql<{ runCleaningRecipe: { id: string } }>(
      "mutation($recipeId: ID!) { runCleaningRecipe(recipeId: $recipeId) { id } }",
      { recipeId: recipe.data!.createCleaningRecipe.id },
    );
    expect((await finished(cleaning.data!.runCleaningRecipe.id, "the cleaning run")).status).toBe(
      "COMPLETED",
    );
    const clean = await stack.deps.db.datasetVersion.findFirstOrThrow({
      where: { datasetId: dataset.id, number: 2 },
    });
    const report = (clean.source as { report: { rowsIn: number; rowsOut: number }[] }).report;
    // Every step's count is explained, and they chain from the raw rows to the clean ones.
    expect(report[0]?.rowsIn).toBe(541_909);
    expect(report[0]!.rowsIn - report[0]!.rowsOut).toBe(9_288);
    for (let i = 1; i < report.length; i++) expect(report[i]?.rowsIn).toBe(report[i - 1]?.rowsOut);
    expect(report[report.length - 1]?.rowsOut).toBe(Number(clean.rowCount));
    const survivors = await count(
      raw.tableName,
      `invoice_no NOT LIKE 'C%' AND customer_id IS NOT NULL AND quantity > 0 AND unit_price > 0 AND stock_code ~ '${PRODUCT_CODE}'`,
    );
    expect(report[3]?.rowsOut).toBe(survivors);

    const lineage = await stack.gql<{
      lineage: { nodes: { type: string; refId: string }[]; edges: { relation: string }[] };
    }>(
      `query($id: ID!) { lineage(id: $id, direction: UPSTREAM, depth: 3) { nodes { type refId } edges { relation } } }`,
      { id: clean.id },
    );
    expect(lineage.errors).toBeUndefined();
    const nodes = lineage.data!.lineage.nodes;
    expect(
      nodes
        .filter((node) => node.type === "DATASET_VERSION")
        .map((node) => node.refId)
        .sort(),
    ).toEqual([clean.id, raw.id].sort());
    expect(nodes.filter((node) => node.type === "FILE")).toHaveLength(3);
    expect(lineage.data!.lineage.edges.map((edge) => edge.relation).sort()).toEqual([
      "cleaned_by",
      "imported_from",
      "imported_from",
      "imported_from",
    ]);
  }, 400_000);
});
