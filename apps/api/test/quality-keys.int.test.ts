import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { keyIndexName, qualifiedTable } from "@dam/db/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { indexDeclaredKeys } from "../src/modules/quality/quality-keys.service.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  // Only imports run here: a quality worker would run v1's automatic quality run, which indexes
  // the key itself once the rule exists, racing the assertions below on who indexes it first.
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-keys-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const indexesOf = async (table: string) =>
  (
    await stack.deps.pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'data' AND tablename = $1",
      [table],
    )
  ).rows.map((row) => row.indexname);

describe("declared keys", () => {
  it("are indexed when a version becomes READY, and the duplicate check reads the index", async () => {
    const lines = ["order_id,line_no,sku"];
    for (let i = 1; i <= 3_000; i++) lines.push(`${Math.ceil(i / 3)},${((i - 1) % 3) + 1},S${i % 50}`);
    lines.push("7,2,again"); // one duplicate of (order_id, line_no)
    const first = path.join(dir, "v1.csv");
    await writeFile(first, `${lines.join("\n")}\n`);
    const input = {
      name: "order_lines",
      kind: "OTHER" as const,
      source: { paths: [first], format: "csv" as const, roles: {}, types: {} },
    };
    const v1 = await importAndWait(stack, input);
    const rule = await stack.gql(
      `mutation($datasetId: ID!, $input: QualityRuleInput!) { createQualityRule(datasetId: $datasetId, input: $input) { id } }`,
      {
        datasetId: v1.dataset.id,
        input: {
          name: "line key",
          type: "unique",
          params: { columns: ["order_id", "line_no"] },
          severity: "ERROR",
        },
      },
    );
    expect(rule.errors).toBeUndefined();
    // The first version predates the rule: indexing it is the quality run's first step, done once.
    expect(await indexDeclaredKeys(stack.deps, v1.version.id)).toBe(1);
    expect(await indexDeclaredKeys(stack.deps, v1.version.id)).toBe(0);

    // A new version of the dataset gets the index in its import job, before any quality run.
    const v2 = await importAndWait(stack, input);
    expect(v2.dataset.id).toBe(v1.dataset.id);
    const table = v2.version.tableName;
    expect(await indexesOf(table)).toEqual([keyIndexName(table, ["order_id", "line_no"])]);
    // At 3,000 rows the planner rightly prefers hashing; without that option it must choose between
    // sorting the table and reading the index in order, and reads the index (vacuumed: index-only).
    const client = await stack.deps.pool.connect();
    let plan: { rows: { "QUERY PLAN": string }[] };
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_hashagg = off");
      plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT count(*) FROM ${qualifiedTable(table)} WHERE order_id IS NOT NULL AND line_no IS NOT NULL GROUP BY order_id, line_no HAVING count(*) > 1`,
      );
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(plan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/Index Only Scan/);
  });
});
