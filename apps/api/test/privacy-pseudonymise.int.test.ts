import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { qualifiedTable } from "@dam/db/data-plane";
import { pseudonymise } from "@dam/privacy/masking";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { readPseudonymSecret } from "../src/modules/privacy/pii-secret.service.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Pseudonymisation on the way in (import option) and as a cleaning step: the SQL pseudonyms must be
// exactly the ones masking gives in HASH mode (@dam/privacy/masking#pseudonymise), so joins still work.
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
const waitForJob = (id: string, what: string) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && TERMINAL.includes(job.status) ? job : undefined;
    },
    { what, timeoutMs: 60_000, intervalMs: 200 },
  );

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-pseudonymise-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const CSV = [
  "user_id,email,phone,city,age",
  "u1, Jane.Doe@Example.com ,+44 20 7946 0958,Leeds,34",
  "u2,john@example.org,(555) 123-4567,York,41",
  "u3,,+49 30 1234 5678,Bath,29",
  "u4,jane.doe@example.com,+44 20 7946 0134,Hull,not-an-age",
].join("\n");

const importWith = async (pseudonymiseInput: unknown) => {
  const upload = await stack.deps.db.upload.create({
    data: {
      originalName: "people.csv",
      path: path.join(dir, `people-${Date.now()}.csv`),
      bytes: 0,
      sha256: "",
    },
  });
  await writeFile(upload.path, `${CSV}\n`);
  const res = await stack.gql<{ importDataset: { version: { id: string }; job: { id: string } } }>(
    `mutation($input: ImportDatasetInput!) { importDataset(input: $input) { version { id } job { id } } }`,
    {
      input: {
        name: `people_${Date.now()}`,
        kind: "USERS",
        uploadIds: [upload.id],
        types: [{ column: "age", type: "integer" }],
        pseudonymise: pseudonymiseInput,
      },
    },
  );
  return res;
};

describe("pseudonymisation", () => {
  it("hashes and drops columns on import, rejected rows included", async () => {
    const res = await importWith([
      { column: "email", mode: "HASH", piiType: "EMAIL" },
      { column: "phone", mode: "DROP" },
    ]);
    expect(res.errors).toBeUndefined();
    expect((await waitForJob(res.data!.importDataset.job.id, "import")).status).toBe("COMPLETED");
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({
      where: { id: res.data!.importDataset.version.id },
    });
    expect(version.status).toBe("READY");
    expect((version.schema as { name: string; type: string }[]).map((c) => [c.name, c.type])).toEqual([
      ["user_id", "text"],
      ["email", "text"],
      ["city", "text"],
      ["age", "integer"],
    ]);
    const secret = await readPseudonymSecret(stack.deps);
    const { rows } = await stack.deps.pool.query<{ user_id: string; email: string | null }>(
      `SELECT user_id, email FROM ${qualifiedTable(version.tableName)} ORDER BY _line`,
    );
    const jane = pseudonymise("jane.doe@example.com", "EMAIL", secret);
    expect(rows).toEqual([
      { user_id: "u1", email: jane },
      { user_id: "u2", email: pseudonymise("john@example.org", "EMAIL", secret) },
      { user_id: "u3", email: null },
    ]);
    // The rejected row (age is not a number) keeps no raw email or phone.
    const rejects = await stack.deps.db.rejectedRow.findMany({ where: { versionId: version.id } });
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.raw).not.toContain("jane.doe@example.com");
    expect(rejects[0]!.raw).not.toContain("7946 0134");
    expect(rejects[0]!.raw).toContain(jane);
  });

  it("refuses a bad pseudonymise option with the field named", async () => {
    const res = await importWith([{ column: "email", mode: "SCRAMBLE" }]);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain("SCRAMBLE");
  });

  it("hashes or drops a column as a cleaning step, with the same pseudonyms as masking", async () => {
    const res = await importWith([]);
    expect((await waitForJob(res.data!.importDataset.job.id, "plain import")).status).toBe("COMPLETED");
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({
      where: { id: res.data!.importDataset.version.id },
    });
    const bad = await stack.gql(
      `mutation($d: ID!, $s: JSON!) { createCleaningRecipe(input: { datasetId: $d, name: "bad", steps: $s }) { id } }`,
      { d: version.datasetId, s: [{ op: "pseudonymise", column: "nope", mode: "hash" }] },
    );
    expect(bad.errors?.[0]?.message).toContain('steps[0].column: unknown column "nope"');
    const recipe = await stack.gql<{ createCleaningRecipe: { id: string } }>(
      `mutation($d: ID!, $s: JSON!) { createCleaningRecipe(input: { datasetId: $d, name: "pseudonymise", steps: $s }) { id } }`,
      {
        d: version.datasetId,
        s: [
          { op: "pseudonymise", column: "email", mode: "hash", piiType: "EMAIL" },
          { op: "pseudonymise", column: "phone", mode: "hash", piiType: "PHONE" },
          { op: "pseudonymise", column: "city", mode: "drop" },
        ],
      },
    );
    expect(recipe.errors).toBeUndefined();
    const run = await stack.gql<{ runCleaningRecipe: { id: string } }>(
      "mutation($r: ID!) { runCleaningRecipe(recipeId: $r) { id } }",
      { r: recipe.data!.createCleaningRecipe.id },
    );
    expect(run.errors).toBeUndefined();
    const job = await waitForJob(run.data!.runCleaningRecipe.id, "cleaning");
    expect(job.error).toBeNull();
    const cleaned = await stack.deps.db.datasetVersion.findFirstOrThrow({
      where: { datasetId: version.datasetId, number: 2 },
    });
    expect((cleaned.schema as { name: string }[]).map((c) => c.name)).toEqual([
      "user_id",
      "email",
      "phone",
      "age",
    ]);
    const secret = await readPseudonymSecret(stack.deps);
    const { rows } = await stack.deps.pool.query<{ email: string | null; phone: string }>(
      `SELECT email, phone FROM ${qualifiedTable(cleaned.tableName)} ORDER BY _line`,
    );
    expect(rows).toEqual([
      {
        email: pseudonymise(" Jane.Doe@Example.com ", "EMAIL", secret),
        phone: pseudonymise("+44 20 7946 0958", "PHONE", secret),
      },
      {
        email: pseudonymise("john@example.org", "EMAIL", secret),
        phone: pseudonymise("(555) 123-4567", "PHONE", secret),
      },
      { email: null, phone: pseudonymise("+49 30 1234 5678", "PHONE", secret) },
    ]);
  });
});
