import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack({ DAM_UPLOADS_DIR: await mkdtemp(path.join(tmpdir(), "dam-uploads-")) });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-cli-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const runCli = (args: string[], token = ADMIN_TOKEN) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/cli/dam.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DAM_API_URL: stack.url, DAM_TOKEN: token },
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

describe("npm run dam -- import", () => {
  it("uploads, imports, shows progress on stderr and prints one JSON line", async () => {
    const file = path.join(dir, "items.csv");
    await writeFile(file, "sku;title;price\nA1;Mug;4,5\nA2;Lamp;12\nA3;Rug\n");
    const { code, stdout, stderr } = await runCli([
      "import",
      file,
      "--name",
      "cli_items",
      "--kind",
      "CATALOG",
      "--delimiter",
      ";",
      "--map",
      "sku=itemId,title=title",
      "--type",
      "price=text",
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/100%/);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? "{}");
    expect(result).toMatchObject({ status: "COMPLETED", rowsLoaded: 2, rowsRejected: 1 });
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: result.versionId } });
    const schema = version.schema as { name: string; role: string | null }[];
    expect(schema.map((column) => column.role)).toEqual(["itemId", "title", null]);
  });

  it("reports bad arguments and refused keys as errors with a JSON line", async () => {
    const missing = await runCli(["import", path.join(dir, "nope.csv"), "--name", "x", "--kind", "OTHER"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout.trim())).toMatchObject({ error: { code: "ERROR" } });
    const badKind = await runCli(["import", "f.csv", "--name", "x", "--kind", "NOPE"]);
    expect(badKind.stderr).toMatch(/--kind: "NOPE" is not one of/);
    const file = path.join(dir, "ok.csv");
    await writeFile(file, "a\n1\n");
    const refused = await runCli(["import", file, "--name", "x", "--kind", "OTHER"], "dam_wrong");
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout.trim())).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  });
});
