import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Issue 16's Done-when for the CLI: test/scripts/steward-walk.sh, a plain shell script of `dam`
// commands, takes an unseen CSV to cleaned, downloaded rows against a started API and worker.
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "scripts/steward-walk.sh");
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let work: string;

beforeAll(async () => {
  stack = await startTestStack({ DAM_UPLOADS_DIR: await mkdtemp(path.join(tmpdir(), "dam-uploads-")) });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  work = await mkdtemp(path.join(tmpdir(), "dam-steward-walk-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const runScript = () =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("bash", [SCRIPT, work], {
      env: { ...process.env, DAM_API_URL: stack.url, DAM_TOKEN: ADMIN_TOKEN },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });

const output = async (step: string) => JSON.parse(await readFile(path.join(work, `${step}.json`), "utf8"));

describe("the steward's walk from a shell script", () => {
  it("imports, fixes roles, accepts suggested rules, dry-runs and runs a recipe, downloads the rows", async () => {
    const run = await runScript();
    expect(run.stderr).not.toMatch(/^dam: /m);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");

    const preview = await output("preview");
    expect(preview.rows).toEqual([
      ["S1", "Article 1", "jouets", "11"],
      ["S2", "Article 2", "jardin", "12"],
      ["S3", "Article 3", "jouets", "13"],
    ]);
    expect(preview.columns.map((c: { source: string; type: string }) => [c.source, c.type])).toEqual([
      ["sku", "text"],
      ["designation", "text"],
      ["famille", "text"],
      ["prix", "integer"],
    ]);
    expect((await output("roles")).columns).toEqual([
      { name: "sku", type: "text", role: "itemId" },
      { name: "designation", type: "text", role: "title" },
      { name: "famille", type: "text", role: "category" },
      { name: "prix", type: "integer", role: "price" },
    ]);
    const accepted = (await output("accept")).accepted as { name: string }[];
    expect(accepted.map((rule) => rule.name)).toEqual(
      expect.arrayContaining(["sku unique", "prix positive"]),
    );
    expect(await output("rules-run")).toMatchObject({ status: "COMPLETED" });
    expect(await output("dry-run")).toMatchObject({
      dryRun: true,
      versionId: summary.raw,
      steps: [{ op: "drop_group_outliers", rowsIn: 40, rowsOut: 39 }],
    });
    expect(await output("clean")).toMatchObject({ status: "COMPLETED", rowCount: 39 });
    expect(await output("download")).toMatchObject({ rows: 39, format: "csv" });
    const lines = (await readFile(path.join(work, "boutique-clean.csv"), "utf8")).trim().split(/\r?\n/);
    expect(lines[0]).toBe("sku,designation,famille,prix");
    expect(lines).toHaveLength(40);
    expect(lines.some((line) => line.startsWith("S5,"))).toBe(false);
    expect(await output("download-parquet")).toMatchObject({ rows: 39, format: "parquet" });
    const table = await parquetReadObjects({
      file: new Uint8Array(await readFile(path.join(work, "boutique-clean.parquet"))).buffer,
    });
    expect(table).toHaveLength(39);
    expect(table[0]).toEqual({ sku: "S1", designation: "Article 1", famille: "jouets", prix: 11n });
    // Progress of the long commands went to stderr, never into the JSON lines.
    expect(run.stderr).toMatch(/100%/);

    const lineage = (await output("lineage")) as { nodes: { refId: string; depth: number }[] };
    expect(lineage.nodes.map((node) => node.refId)).toEqual(
      expect.arrayContaining([summary.clean, summary.raw]),
    );
    const revoked = await output("key-revoke");
    expect(revoked).toMatchObject({ name: "walk-viewer", role: "VIEWER" });
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(((await output("keys")).keys as { id: string }[]).map((key) => key.id)).toContain(revoked.id);
    expect(await output("models")).toEqual({ totalCount: 0, models: [] });
  }, 600_000);
});
