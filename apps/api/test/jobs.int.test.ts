import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { defineJob, handleJob } from "../src/modules/jobs/job-definition.ts";
import { enqueueJob } from "../src/modules/jobs/jobs.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  dir = await mkdtemp(path.join(tmpdir(), "dam-jobs-"));
});
afterAll(async () => {
  await stack?.close();
});

type TJobView = {
  id: string;
  status: string;
  progress: number;
  attempts: number;
  durationSeconds: number | null;
};
const jobQuery = `query($id: ID!) { job(id: $id) { id status progress attempts durationSeconds } }`;
const cancel = (id: string) =>
  stack.gql<{ cancelJob: TJobView }>(`mutation($id: ID!) { cancelJob(id: $id) { id status } }`, { id });

describe("jobs over GraphQL", () => {
  it("cancels a queued job at once and marks its version FAILED", async () => {
    const file = path.join(dir, "small.csv");
    await writeFile(file, "a,b\n1,2\n");
    // No worker runs in this test yet: the job stays queued.
    const { job, version } = await createFileImport(stack.deps, null, {
      name: "never_runs",
      kind: "OTHER",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    const listed = await stack.gql<{
      jobs: { totalCount: number; edges: { node: { id: string; status: string } }[] };
    }>(`{ jobs(first: 5, status: QUEUED) { totalCount edges { node { id status } } } }`);
    expect(listed.data?.jobs.edges.map((edge) => edge.node.id)).toContain(job.id);

    const result = await cancel(job.id);
    expect(result.data?.cancelJob.status).toBe("CANCELLED");
    expect(await stack.deps.queues.ingest.getJob(job.bullId)).toBeUndefined();
    const after = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(after.status).toBe("FAILED");

    const again = await cancel(job.id);
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("stops a running job at its next checkpoint and drops its partial table", async () => {
    const file = path.join(dir, "big.csv");
    const out = createWriteStream(file);
    out.write("id,v\n");
    // Big enough (~40 MB) that the byte-level loader is still mid-file when the cancel lands: it checks
    // for a cancel every megabyte, and a small file would finish before the request is read.
    for (let i = 0; i < 3_000_000; i++) if (!out.write(`${i},${i * 2}\n`)) await once(out, "drain");
    out.end();
    await once(out, "finish");

    const workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
    try {
      const { job, version } = await createFileImport(stack.deps, null, {
        name: "cancel_me",
        kind: "OTHER",
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      });
      await waitFor(
        async () => {
          const view = await stack.gql<{ job: TJobView }>(jobQuery, { id: job.id });
          return view.data?.job.status === "RUNNING" && view.data.job.progress > 0 ? view : undefined;
        },
        { intervalMs: 50, what: "the job to run" },
      );
      const requested = await cancel(job.id);
      expect(requested.data?.cancelJob.status).toBe("RUNNING");
      const final = await waitFor(
        async () => {
          const view = await stack.gql<{ job: TJobView }>(jobQuery, { id: job.id });
          return view.data?.job.status === "CANCELLED" ? view.data.job : undefined;
        },
        { what: "the job to be cancelled" },
      );
      expect(final.durationSeconds).toBeGreaterThan(0);
      const after = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
      expect(after.status).toBe("FAILED");
      const table = await stack.deps.pool.query("SELECT to_regclass($1) AS t", [`data.${version.tableName}`]);
      expect(table.rows[0].t).toBeNull();
    } finally {
      await workers.stop();
    }
  });

  it("lets only stewards and admins cancel", async () => {
    const created = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation { createApiKey(name: "watcher", role: VIEWER) { key } }`,
    );
    const result = await stack.gql(
      `mutation { cancelJob(id: "00000000-0000-0000-0000-000000000000") { id } }`,
      {},
      created.data!.createApiKey.key,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("a rerun asked while the job runs", () => {
  it("gets one more run after the running one (several asks make one), and none when nothing was asked", async () => {
    // A job of the test's own on a real queue and worker: each run records what it read when it
    // started, then waits for the test to let it finish.
    const seen: number[] = [];
    let state = 1;
    const gates: (() => void)[] = [];
    const definition = defineJob({
      queue: "quality",
      name: "test.follow-up",
      payload: z.object({ key: z.string() }),
      attempts: 1,
      backoffMs: 1_000,
      jobId: (payload) => `test-follow-up-${payload.key}`,
      inputIds: () => [],
    });
    const handler = handleJob(definition, {
      handle: async () => {
        seen.push(state);
        await new Promise<void>((resolve) => gates.push(resolve));
        return {};
      },
    });
    const workers = startWorkers(stack.deps, { handlers: [handler], readyHooks: [] }, ["quality"]);
    try {
      const first = await enqueueJob(stack.deps, definition, { key: "a" }, { rerun: true });
      await waitFor(async () => (seen.length === 1 ? true : undefined), { what: "the first run to start" });
      // The state changes while the run that already read it goes on; two callers ask for a rerun.
      state = 2;
      const asked = await enqueueJob(stack.deps, definition, { key: "a" }, { rerun: true });
      await enqueueJob(stack.deps, definition, { key: "a" }, { rerun: true });
      expect(asked.id).toBe(first.id);
      gates.shift()!();
      await waitFor(async () => (seen.length === 2 ? true : undefined), { what: "the follow-up run" });
      expect(seen).toEqual([1, 2]);
      gates.shift()!();
      await waitFor(
        async () =>
          (await stack.deps.db.job.findUnique({ where: { id: first.id } }))?.status === "COMPLETED"
            ? true
            : undefined,
        { what: "the follow-up to complete" },
      );
      // Nothing asked during the follow-up: no third run.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(seen).toEqual([1, 2]);
    } finally {
      for (const open of gates) open();
      await workers.stop();
    }
  });
});
