import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { qualifiedTable, versionTableName } from "@dam/db/data-plane";
import type { TColumnType } from "@dam/vocabulary/column-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeCleaningRun } from "../src/modules/cleaning/cleaning-run.service.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import type { TJobContext } from "../src/modules/jobs/job-definition.ts";
import type { TQueueName } from "../src/modules/jobs/queue-names.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { settleVersionJobs } from "./helpers/settle-jobs.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const RETAIL_DECEMBER = path.resolve(ROOT, "../shared/datasets/uci-online-retail/online_retail_2010-12.csv");

const WORKER_QUEUES: TQueueName[] = ["ingest", "quality"];
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, WORKER_QUEUES);
  dir = await mkdtemp(path.join(tmpdir(), "dam-cleaning-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const waitForJob = (jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 45_000 },
  );

const importFile = async (name: string, file: string, types: Record<string, TColumnType>) => {
  const { dataset, version, job } = await createFileImport(stack.deps, null, {
    name,
    kind: "TRANSACTIONS",
    source: { paths: [file], format: "csv", roles: {}, types },
  });
  const finished = await waitForJob(job.id, `import of ${name}`);
  expect(finished.status).toBe("COMPLETED");
  return {
    dataset,
    version: await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } }),
  };
};

// Jobs queued when a version became READY (profiling, quality) may write to it; let them finish first.
const settle = (versionId: string) => settleVersionJobs(stack, versionId, WORKER_QUEUES);

const RECIPE_FIELDS = "id name steps";
const createRecipe = (datasetId: string, name: string, steps: unknown) =>
  stack.gql<{ createCleaningRecipe: { id: string; name: string; steps: unknown } }>(
    `mutation($datasetId: ID!, $name: String!, $steps: JSON!) {
      createCleaningRecipe(input: { datasetId: $datasetId, name: $name, steps: $steps }) { ${RECIPE_FIELDS} }
    }`,
    { datasetId, name, steps },
  );

const runRecipe = async (recipeId: string) => {
  const started = await stack.gql<{ runCleaningRecipe: { id: string; name: string; queue: string } }>(
    "mutation($recipeId: ID!) { runCleaningRecipe(recipeId: $recipeId) { id name queue } }",
    { recipeId },
  );
  expect(started.errors).toBeUndefined();
  const job = started.data!.runCleaningRecipe;
  expect([job.name, job.queue]).toEqual(["cleaning.run", "quality"]);
  return waitForJob(job.id, "cleaning run");
};

const count = async (sql: string): Promise<number> => {
  const result = await stack.deps.pool.query<{ n: string }>(sql);
  return Number(result.rows[0]?.n);
};

describe("cleaning recipes on a hand-made dataset", () => {
  // Lines 3, 6 and 7 repeat earlier lines exactly; lines 4 and 8 have no price; 1000 and -500 are the
  // planted outliers; x12 and abc are codes that are not integers.
  const CSV = [
    "order_id,sku,qty,price,code", // line 1
    "1,A,1,10,100", // 2
    "1,A,1,10,100", // 3 duplicate of 2
    "2,B,2,,200", // 4 missing price
    "3,C,3,12,300", // 5
    "3,C,3,12,300", // 6 duplicate of 5
    "3,C,3,12,300", // 7 duplicate of 5
    "4,D,4,,x12", // 8 missing price, bad code
    "5,E,5,14,400", // 9
    "6,F,6,1000,500", // 10 high outlier
    "7,G,7,11,abc", // 11 bad code
    "8,H,8,13,600", // 12
    "9,I,9,-500,700", // 13 low outlier
  ].join("\n");

  // Hand-computed effect of each step:
  // 0 dedupe (all columns): 12 -> 9 rows (lines 3, 6, 7 go).
  // 1 impute mean: mean of the 7 prices = (10+12+14+1000+11+13-500)/7 = 560/7 = 80; 2 nulls filled.
  // 2 drop_outliers IQR k=1.5 over -500,10,11,12,13,14,80,80,1000: Q1 = 11, Q3 = 80 (percentile_cont at
  //   positions 2 and 6), IQR = 69, fences -92.5 .. 183.5: -500 and 1000 go, 9 -> 7.
  // 3 cast code to integer: x12 and abc cannot be cast, 7 -> 5.
  // 4 normalise_text sku lower: all 5 values change.
  // 5 drop_where sku = "e": 5 -> 4.
  const STEPS = [
    { op: "dedupe" },
    { op: "impute", column: "price", strategy: "mean" },
    { op: "drop_outliers", column: "price", method: "iqr", k: 1.5 },
    { op: "cast", column: "code", to: "integer" },
    { op: "normalise_text", column: "sku", case: "lower" },
    { op: "drop_where", condition: { column: "sku", op: "eq", value: "e" } },
  ];

  it("applies every step with the hand-computed effect and leaves the source version unchanged", async () => {
    const file = path.join(dir, "orders.csv");
    await writeFile(file, CSV);
    const { dataset, version: raw } = await importFile("orders_small", file, { price: "decimal" });
    expect(Number(raw.rowCount)).toBe(12);

    const invalid = await createRecipe(dataset.id, "broken", [
      { op: "dedupe" },
      { op: "impute", column: "price_x", strategy: "mean" },
    ]);
    expect(invalid.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(invalid.errors?.[0]?.message).toBe('steps[1].column: unknown column "price_x"');

    const created = await createRecipe(dataset.id, "tidy orders", STEPS);
    expect(created.errors).toBeUndefined();
    const recipe = created.data!.createCleaningRecipe;
    expect((recipe.steps as { keep?: string }[])[0]).toEqual({ op: "dedupe", keys: [], keep: "first" });

    const job = await runRecipe(recipe.id);
    expect(job.status).toBe("COMPLETED");
    const clean = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: job.outputIds[0] } });
    expect([clean.status, clean.number, clean.parentId, Number(clean.rowCount)]).toEqual([
      "READY",
      2,
      raw.id,
      4,
    ]);

    const rows = await stack.deps.pool.query(
      `SELECT _line, order_id, sku, qty, price, code FROM ${qualifiedTable(clean.tableName)} ORDER BY _line`,
    );
    expect(
      rows.rows.map((row) => [
        Number(row._line),
        row.sku,
        Number(row.price),
        Number(row.code),
        typeof row.code,
      ]),
    ).toEqual([
      [2, "a", 10, 100, "string"],
      [4, "b", 80, 200, "string"],
      [5, "c", 12, 300, "string"],
      [12, "h", 13, 600, "string"],
    ]);
    const types = await stack.deps.pool.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'data' AND table_name = $1 AND column_name = 'code'",
      [clean.tableName],
    );
    expect(types.rows[0]?.data_type).toBe("bigint");
    expect((clean.schema as { name: string; type: string }[]).find((c) => c.name === "code")?.type).toBe(
      "integer",
    );

    const report = await stack.gql<{
      dataset: { versions: { number: number; cleaningReport: unknown }[] };
      cleaningRecipe: { runs: { id: string }[] };
    }>(
      `query($id: ID!, $recipeId: ID!) {
        dataset(id: $id) { versions { number cleaningReport { step op rowsIn rowsOut changed } } }
        cleaningRecipe(id: $recipeId) { runs { id } }
      }`,
      { id: dataset.id, recipeId: recipe.id },
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.dataset.versions).toEqual([
      {
        number: 2,
        cleaningReport: [
          { step: 0, op: "dedupe", rowsIn: 12, rowsOut: 9, changed: null },
          { step: 1, op: "impute", rowsIn: 9, rowsOut: 9, changed: 2 },
          { step: 2, op: "drop_outliers", rowsIn: 9, rowsOut: 7, changed: null },
          { step: 3, op: "cast", rowsIn: 7, rowsOut: 5, changed: null },
          { step: 4, op: "normalise_text", rowsIn: 5, rowsOut: 5, changed: 5 },
          { step: 5, op: "drop_where", rowsIn: 5, rowsOut: 4, changed: null },
        ],
      },
      { number: 1, cleaningReport: null },
    ]);
    expect(report.data!.cleaningRecipe.runs).toEqual([{ id: clean.id }]);

    // Immutability: the source version's rows, schema and state are as the import left them.
    const after = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: raw.id } });
    expect([after.status, Number(after.rowCount), after.schema, after.source]).toEqual([
      "READY",
      12,
      raw.schema,
      raw.source,
    ]);
    expect(await count(`SELECT count(*)::text AS n FROM ${qualifiedTable(raw.tableName)}`)).toBe(12);
    expect(
      await count(`SELECT count(*)::text AS n FROM ${qualifiedTable(raw.tableName)} WHERE price IS NULL`),
    ).toBe(2);

    // Running the handler again over a half-done state re-creates the table instead of doubling it.
    await stack.deps.db.datasetVersion.update({ where: { id: clean.id }, data: { status: "LOADING" } });
    const again = await executeCleaningRun(stack.deps, clean.id, fakeContext());
    expect(again.report.map((step) => step.rowsOut)).toEqual([9, 9, 7, 5, 5, 4]);
    expect(await count(`SELECT count(*)::text AS n FROM ${qualifiedTable(clean.tableName)}`)).toBe(4);
  });

  it("cleans a version that failed its quality gate: the gate blocks downstream use, not the fix", async () => {
    const file = path.join(dir, "gated.csv");
    await writeFile(file, CSV);
    const { dataset, version: raw } = await importFile("orders_gated", file, { price: "decimal" });
    const recipe = (await createRecipe(dataset.id, "dedupe only", [{ op: "dedupe" }])).data!
      .createCleaningRecipe;
    await settle(raw.id);
    await stack.deps.db.datasetVersion.update({ where: { id: raw.id }, data: { qualityFailed: true } });

    const job = await runRecipe(recipe.id);
    expect(job.status).toBe("COMPLETED");
    const clean = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: job.outputIds[0] } });
    expect(Number(clean.rowCount)).toBe(9);
    // The handler runs as well on a gated parent (a re-run of the same job).
    const id = randomUUID();
    await stack.deps.db.datasetVersion.create({
      data: {
        id,
        datasetId: dataset.id,
        number: 3,
        tableName: versionTableName(id),
        parentId: raw.id,
        source: {
          recipeId: recipe.id,
          recipeName: recipe.name,
          parentVersionId: raw.id,
          steps: [{ op: "dedupe" }],
        },
      },
    });
    const direct = await executeCleaningRun(stack.deps, id, fakeContext());
    expect(direct.report.map((step) => step.rowsOut)).toEqual([9]);
  });

  it("drops rows missing from another dataset, per-group median outliers, and dry-runs without writing", async () => {
    const products = path.join(dir, "known.csv");
    await writeFile(
      products,
      ["sku,category", "A,toys", "B,toys", "C,garden", "D,garden", "E,books"].join("\n"),
    );
    const { dataset: catalog } = await importFile("known_skus", products, {});
    // F and G are unknown items; within toys, B's 95 is 10x its group's median (A 9, B 95, H 10: median 10).
    const lines = [
      "order_id,sku,category,price",
      "1,A,toys,9",
      "2,B,toys,95",
      "3,C,garden,20",
      "4,D,garden,21",
      "5,E,books,7",
      "6,F,books,8",
      "7,G,toys,10",
      "8,A,toys,10",
    ];
    const file = path.join(dir, "lines.csv");
    await writeFile(file, lines.join("\n"));
    const { dataset, version: raw } = await importFile("order_lines", file, { price: "decimal" });
    await settle(raw.id);
    const steps = [
      { op: "drop_group_outliers", column: "price", groupBy: "category", maxRatio: 5 },
      { op: "match_dataset", column: "sku", refDatasetId: catalog.id, refColumn: "sku" },
    ];
    const DRY = `query($v: ID!, $steps: JSON, $r: ID) {
      cleaningDryRun(versionId: $v, steps: $steps, recipeId: $r) { step op rowsIn rowsOut changed } }`;
    const dry = await stack.gql<{ cleaningDryRun: unknown[] }>(DRY, { v: raw.id, steps });
    expect(dry.errors).toBeUndefined();
    expect(dry.data?.cleaningDryRun).toEqual([
      { step: 0, op: "drop_group_outliers", rowsIn: 8, rowsOut: 7, changed: null },
      { step: 1, op: "match_dataset", rowsIn: 7, rowsOut: 5, changed: null },
    ]);
    expect(await stack.deps.db.datasetVersion.count({ where: { datasetId: dataset.id } })).toBe(1);

    const badColumn = await stack.gql(DRY, {
      v: raw.id,
      steps: [{ op: "match_dataset", column: "sku", refDatasetId: catalog.id, refColumn: "item" }],
    });
    expect(badColumn.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badColumn.errors?.[0]?.message).toMatch(/steps\[0\]\.refColumn: "item" is not a column/);
    const both = await stack.gql(DRY, { v: raw.id, steps, r: randomUUID() });
    expect(both.errors?.[0]?.message).toMatch(/give exactly one/);

    const unmatched = await stack.gql<{ cleaningDryRun: { rowsOut: number }[] }>(DRY, {
      v: raw.id,
      steps: [
        { op: "match_dataset", column: "sku", refDatasetId: catalog.id, refColumn: "sku", keep: "unmatched" },
      ],
    });
    expect(unmatched.data?.cleaningDryRun.map((step) => step.rowsOut)).toEqual([2]);

    const recipe = (await createRecipe(dataset.id, "known items", steps)).data!.createCleaningRecipe;
    const fromRecipe = await stack.gql<{ cleaningDryRun: { rowsOut: number }[] }>(DRY, {
      v: raw.id,
      r: recipe.id,
    });
    expect(fromRecipe.data?.cleaningDryRun.map((step) => step.rowsOut)).toEqual([7, 5]);
    const job = await runRecipe(recipe.id);
    expect(job.status).toBe("COMPLETED");
    const clean = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: job.outputIds[0] } });
    const kept = await stack.deps.pool.query<{ order_id: string }>(
      `SELECT order_id::text FROM ${qualifiedTable(clean.tableName)} ORDER BY _line`,
    );
    expect(kept.rows.map((row) => row.order_id)).toEqual(["1", "3", "4", "5", "8"]);
  });
});

describe("hostile recipes", () => {
  it("refuses a condition nested 3,000 deep and a pattern PostgreSQL cannot compile, naming where", async () => {
    const dataset = await stack.deps.db.dataset.create({ data: { name: "hostile_recipes", kind: "OTHER" } });
    let condition: unknown = { column: "sku", op: "eq", value: "a" };
    for (let i = 0; i < 3_000; i++) condition = { not: condition };
    const deep = await createRecipe(dataset.id, "deep", [{ op: "drop_where", condition }]);
    expect(deep.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // The API's input-depth check at the edge answers first (naming the variable); the recipe's own
    // check behind it (packages/cleaning validate-recipe, unit-tested there) says steps[0].condition.
    expect(deep.errors?.[0]?.message).toMatch(/steps.*nested deeper than 32 levels/);

    for (const pattern of ["(?<n>a)\\k<n>", "\\p{L}+"]) {
      const bad = await createRecipe(dataset.id, "pattern", [
        { op: "dedupe" },
        { op: "drop_where", condition: { any: [{ column: "sku", op: "matches", value: pattern }] } },
      ]);
      expect(bad.errors?.[0]?.extensions?.code, pattern).toBe("BAD_USER_INPUT");
      expect(bad.errors?.[0]?.message, pattern).toMatch(
        /^steps\[1\]\.condition\.any\[0\]\.value: PostgreSQL cannot use this pattern: invalid regular expression/,
      );
    }
  });
});

describe("cleaning real transactions (UCI Online Retail, December 2010)", () => {
  it.skipIf(!existsSync(RETAIL_DECEMBER))(
    "drops cancellations, guests, non-positive lines and non-product codes, step by step",
    async () => {
      const { dataset, version: raw } = await importFile("retail_2010_12", RETAIL_DECEMBER, {
        InvoiceNo: "text",
        StockCode: "text",
        CustomerID: "integer",
        Quantity: "integer",
        UnitPrice: "decimal",
      });
      const PRODUCT_CODE = "^[0-9]{5}[A-Za-z]?$";
      const created = await createRecipe(dataset.id, "sales lines", [
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
      ]);
      expect(created.errors).toBeUndefined();
      const job = await runRecipe(created.data!.createCleaningRecipe.id);
      expect(job.status).toBe("COMPLETED");
      const clean = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: job.outputIds[0] } });

      // The same filters, written independently as one cumulative WHERE per stage on the raw table.
      const table = qualifiedTable(raw.tableName);
      const stages = [
        "true",
        "invoice_no NOT LIKE 'C%'",
        "invoice_no NOT LIKE 'C%' AND customer_id IS NOT NULL",
        "invoice_no NOT LIKE 'C%' AND customer_id IS NOT NULL AND quantity > 0 AND unit_price > 0",
        `invoice_no NOT LIKE 'C%' AND customer_id IS NOT NULL AND quantity > 0 AND unit_price > 0 AND stock_code ~ '${PRODUCT_CODE}'`,
      ];
      const expected: number[] = [];
      for (const where of stages)
        expected.push(await count(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`));
      expect(expected[0]).toBe(Number(raw.rowCount));
      expect(Number(raw.rowCount) + Number(raw.rejectedCount)).toBe(42_481);
      // Every filter removes something on this file (the data is really dirty in each of these ways).
      for (let i = 1; i < expected.length; i++) expect(expected[i]).toBeLessThan(expected[i - 1]!);

      const report = (clean.source as { report: { rowsIn: number; rowsOut: number }[] }).report;
      expect(report.map((step) => [step.rowsIn, step.rowsOut])).toEqual(
        expected.slice(0, -1).map((rowsIn, i) => [rowsIn, expected[i + 1]]),
      );
      expect(Number(clean.rowCount)).toBe(expected[4]);
      expect(await count(`SELECT count(*)::text AS n FROM ${qualifiedTable(clean.tableName)}`)).toBe(
        expected[4],
      );

      const edges = await stack.deps.db.lineageEdge.findMany({
        where: { relation: "cleaned_by", to: { type: "DATASET_VERSION", refId: clean.id } },
        include: { from: true, to: true },
      });
      expect(edges.map((edge) => [edge.from.type, edge.from.refId, edge.jobId])).toEqual([
        ["DATASET_VERSION", raw.id, job.id],
      ]);
      expect(edges[0]?.to.metadata).toEqual({
        recipe: { id: created.data!.createCleaningRecipe.id, name: "sales lines" },
      });
      console.info(
        `retail 2010-12: ${expected.join(" -> ")} rows; cleaning job ${
          job.finishedAt && job.startedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : "?"
        } ms`,
      );
    },
  );
  it.runIf(!existsSync(RETAIL_DECEMBER))("is skipped: the UCI Online Retail file is missing", () => {
    console.warn(`skipped the real-data cleaning test: ${RETAIL_DECEMBER} does not exist`);
  });
});

const fakeContext = (): TJobContext => ({
  jobRecordId: randomUUID(),
  attempt: 1,
  progress: async () => {},
  checkpoint: async () => {},
});
