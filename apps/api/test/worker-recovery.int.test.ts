import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { qualifiedTable } from "@dam/db/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ROWS = 200_000;

let stack: TTestStack;
let bigFile: string;
const spawned: ChildProcess[] = [];

// Real worker processes (the same entry point `npm start` runs), with a short lock so a killed worker's
// job is detected as stalled within seconds instead of the production 30 s.
const startWorkerProcess = (): ChildProcess => {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/worker.ts"], {
    cwd: ROOT,
    env: {
      ...stack.env,
      DAM_WORKER_QUEUES: "ingest",
      DAM_JOB_LOCK_MS: "2000",
      DAM_JOB_STALLED_INTERVAL_MS: "1000",
    },
    stdio: ["ignore", "ignore", "ignore"],
  });
  spawned.push(child);
  return child;
};

const stopAllWorkers = async () => {
  await Promise.all(
    spawned.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }),
  );
};

const writeBigFile = async (file: string) => {
  const out = createWriteStream(file);
  out.write("event_id,user_id,item_id,event_type,ts\n");
  for (let i = 0; i < ROWS; i++) {
    const line = `${i},${i % 997},${i % 4999},${i % 7 === 0 ? "cart" : "view"},2026-03-01T00:00:00Z\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
};

beforeAll(async () => {
  stack = await startTestStack();
  bigFile = path.join(await mkdtemp(path.join(tmpdir(), "dam-recovery-")), "events.csv");
  await writeBigFile(bigFile);
});
afterAll(async () => {
  for (const child of spawned) if (child.exitCode === null) child.kill("SIGKILL");
  await stack?.close();
});

const startImport = (name: string) =>
  createFileImport(stack.deps, null, {
    name,
    kind: "EVENTS",
    source: { paths: [bigFile], format: "csv", roles: {}, types: {} },
  });

const jobRow = (id: string) => stack.deps.db.job.findUniqueOrThrow({ where: { id } });

const expectLoadedExactlyOnce = async (versionId: string) => {
  const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  expect(version.status).toBe("READY");
  expect(Number(version.rowCount)).toBe(ROWS);
  const counts = await stack.deps.pool.query<{ rows: string; lines: string }>(
    `SELECT count(*)::text AS rows, count(DISTINCT _line)::text AS lines FROM ${qualifiedTable(version.tableName)}`,
  );
  expect(counts.rows[0]).toEqual({ rows: String(ROWS), lines: String(ROWS) });
};

describe("worker crash and shutdown", () => {
  it("finishes a job exactly once after its worker is killed with SIGKILL mid-way", async () => {
    const first = startWorkerProcess();
    const { job, version } = await startImport("crash_events");
    await waitFor(
      async () => {
        const row = await jobRow(job.id);
        return row.status === "RUNNING" && row.progress > 5 ? row : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: "the job to be mid-way" },
    );
    first.kill("SIGKILL");
    await once(first, "exit");
    const midway = await jobRow(job.id);
    expect(midway.status).toBe("RUNNING");
    expect(midway.progress).toBeLessThan(100);

    startWorkerProcess();
    const done = await waitFor(
      async () => {
        const row = await jobRow(job.id);
        return row.status === "COMPLETED" || row.status === "FAILED" ? row : undefined;
      },
      { timeoutMs: 120_000, what: "the job to finish on the second worker" },
    );
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBe(2);
    await expectLoadedExactlyOnce(version.id);
    await stopAllWorkers();
  });

  it("returns the job in hand to the queue on SIGTERM, and another worker finishes it", async () => {
    const worker = startWorkerProcess();
    const { job, version } = await startImport("sigterm_events");
    await waitFor(
      async () => {
        const row = await jobRow(job.id);
        return row.status === "RUNNING" && row.progress > 5 ? row : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: "the job to be mid-way" },
    );
    worker.kill("SIGTERM");
    const [code] = await once(worker, "exit");
    expect(code).toBe(0);
    const returned = await jobRow(job.id);
    expect(returned.status).toBe("QUEUED");

    startWorkerProcess();
    const done = await waitFor(
      async () => {
        const row = await jobRow(job.id);
        return row.status === "COMPLETED" || row.status === "FAILED" ? row : undefined;
      },
      { timeoutMs: 120_000, what: "the returned job to finish" },
    );
    expect(done.status).toBe("COMPLETED");
    await expectLoadedExactlyOnce(version.id);
    await stopAllWorkers();
  });
});
