import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The steward's path through an unseen shop from a shell: import with inferred roles, fix a role,
// accept suggested rules, run them, dry-run and run a cleaning recipe, preview and download the result.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack({ DAM_UPLOADS_DIR: await mkdtemp(path.join(tmpdir(), "dam-uploads-")) });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-cli-steward-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const dam = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string; json: Record<string, unknown> }>(
    (resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/cli/dam.ts", ...args], {
        cwd: ROOT,
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
      child.on("exit", (code) => {
        const lines = stdout.trim().split("\n").filter(Boolean);
        resolve({
          code,
          stdout,
          stderr,
          json: lines.length === 1 ? JSON.parse(lines[0] ?? "{}") : { lines },
        });
      });
    },
  );

describe("npm run dam -- <command>", () => {
  it("takes a steward from an unseen CSV to a cleaned, downloaded version", async () => {
    const rows = ["ItemID,product_name,category,unit_price"];
    for (let i = 1; i <= 40; i++)
      rows.push(`I${i},Thing ${i},${i % 2 ? "toys" : "garden"},${i === 5 ? 900 : 10 + (i % 5)}`);
    const file = path.join(dir, "shop.csv");
    await writeFile(file, rows.join("\n"));

    const imported = await dam(["import", file, "--name", "cli_shop", "--kind", "CATALOG"]);
    expect(imported.code).toBe(0);
    const versionId = String(imported.json.versionId);

    const roles = await dam(["datasets", "roles", versionId]);
    expect(roles.json.columns).toEqual([
      { name: "item_id", type: "text", role: "itemId" },
      { name: "product_name", type: "text", role: "title" },
      { name: "category", type: "text", role: "category" },
      { name: "unit_price", type: "integer", role: "price" },
    ]);
    const moved = await dam(["datasets", "roles", versionId, "--map", "product_name=description"]);
    expect((moved.json.columns as { role: string | null }[]).map((c) => c.role)).toEqual([
      "itemId",
      "description",
      "category",
      "price",
    ]);
    const badMap = await dam(["datasets", "roles", versionId, "--map", "ttle=title"]);
    expect(badMap.code).toBe(1);
    expect(badMap.json).toMatchObject({ error: { code: "BAD_USER_INPUT" } });
    expect(badMap.stderr).toMatch(/"ttle" is not a column/);

    await waitFor(
      async () =>
        (await stack.deps.db.datasetVersion.findUnique({ where: { id: versionId } }))?.profile ?? undefined,
      { what: "the profile", timeoutMs: 60_000 },
    );
    const suggested = await dam(["rules", "suggest", versionId]);
    const names = (suggested.json.suggestions as { name: string }[]).map((rule) => rule.name);
    expect(names).toEqual(
      expect.arrayContaining(["item_id unique", "unit_price positive", "unit_price outliers by category"]),
    );
    const accepted = await dam([
      "rules",
      "suggest",
      versionId,
      "--accept",
      "item_id unique,unit_price positive",
    ]);
    expect((accepted.json.accepted as { name: string }[]).map((rule) => rule.name)).toEqual([
      "item_id unique",
      "unit_price positive",
    ]);
    const listed = await dam(["rules", "list", "cli_shop"]);
    expect((listed.json.rules as unknown[]).length).toBe(2);
    const ran = await dam(["rules", "run", versionId]);
    expect(ran.code).toBe(0);
    expect(ran.json).toMatchObject({ status: "COMPLETED", run: { status: "PASSED", score: 1 } });
    expect(ran.stderr).toMatch(/100%/);

    const datasets = await dam(["datasets", "list", "--kind", "catalog"]);
    expect((datasets.json.datasets as { name: string }[]).map((d) => d.name)).toEqual(["cli_shop"]);
    const shown = await dam(["datasets", "show", "cli_shop"]);
    expect(shown.json).toMatchObject({ name: "cli_shop", kind: "CATALOG" });

    const recipe = await stack.gql<{ createCleaningRecipe: { id: string } }>(
      `mutation($d: ID!, $steps: JSON!) { createCleaningRecipe(input: { datasetId: $d, name: "price slips", steps: $steps }) { id } }`,
      {
        d: String(imported.json.datasetId),
        steps: [{ op: "drop_group_outliers", column: "unit_price", groupBy: "category", maxRatio: 10 }],
      },
    );
    const recipeId = recipe.data?.createCleaningRecipe.id ?? "";
    const dry = await dam(["clean", recipeId, "--dry-run"]);
    expect(dry.json).toMatchObject({
      dryRun: true,
      steps: [{ op: "drop_group_outliers", rowsIn: 40, rowsOut: 39 }],
    });
    expect(
      await stack.deps.db.datasetVersion.count({ where: { datasetId: String(imported.json.datasetId) } }),
    ).toBe(1);
    const cleaned = await dam(["clean", recipeId]);
    expect(cleaned.code).toBe(0);
    expect(cleaned.json).toMatchObject({ status: "COMPLETED", rowCount: 39 });
    const cleanId = String(cleaned.json.versionId);

    const preview = await dam([
      "datasets",
      "preview",
      cleanId,
      "--first",
      "2",
      "--sort",
      "unit_price",
      "--desc",
    ]);
    expect(preview.json).toMatchObject({
      totalCount: 39,
      rows: [{ unit_price: "14" }, { unit_price: "14" }],
    });
    const out = path.join(dir, "clean.jsonl");
    const downloaded = await dam(["datasets", "download", cleanId, "--format", "jsonl", "--out", out]);
    expect(downloaded.json).toMatchObject({ rows: 39, format: "jsonl" });
    const records = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(39);
    expect(records.some((record) => record.item_id === "I5")).toBe(false);

    const jobs = await dam(["jobs", "list", "--status", "completed", "--first", "50"]);
    const jobNames = (jobs.json.jobs as { name: string }[]).map((job) => job.name);
    expect(jobNames).toEqual(expect.arrayContaining(["ingest.load-file", "cleaning.run", "quality.run"]));
    const watched = await dam(["jobs", "watch", String(cleaned.json.jobId)]);
    expect(watched.json).toMatchObject({ status: "COMPLETED" });
    // About twenty CLI processes, each starting tsx: minutes on a loaded machine.
  }, 600_000);

  it("prints each command's help and refuses unknown subcommands with a JSON error", async () => {
    const help = await dam(["rules", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stderr).toMatch(/rules suggest <version id>/);
    const unknown = await dam(["datasets", "frobnicate"]);
    expect(unknown.code).toBe(1);
    expect(unknown.json).toMatchObject({ error: { code: "ERROR" } });
    const train = await dam(["train", "--name", "m"]);
    expect(train.stderr).toMatch(/usage: npm run dam -- train/);
  });
});
