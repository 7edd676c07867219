import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { qualifiedTable } from "@dam/db/data-plane";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@dam/db/embedded";
import { migrateDatabase } from "@dam/db/migrate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps, type TDeps } from "../src/deps.ts";
import { readEnv } from "../src/env.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { freePort, isRunning, spawnApiEntry, stopProcess } from "./helpers/processes.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Fault drill: the database restarted while an ingest job runs. The database is an embedded
// PostgreSQL of this test's own (own port and data directory), so stopping it disturbs nobody else.
// The worker is its own process; the job must finish exactly once with every row loaded once, and
// neither the worker nor this process may crash on the connections the restart broke. (This drill
// found COPY streams waiting forever for a 'drain' on a connection the server had ended: copy-streams.ts.)

const ROWS = 200_000;
const DOWN_MS = 3_000;

let root: string;
let server: EmbeddedPostgres;
let port: number;
let deps: TDeps;
let env: NodeJS.ProcessEnv;
let worker: ChildProcess | undefined;
let file: string;

const writeEvents = async (target: string) => {
  const out = createWriteStream(target);
  out.write("event_id,user_id,item_id,event_type,ts\n");
  for (let i = 0; i < ROWS; i++) {
    const line = `${i},${i % 997},${i % 4999},${i % 7 === 0 ? "cart" : "view"},2026-03-01T00:00:00Z\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
};

beforeAll(async () => {
  // Under /tmp and passable (0755): the server runs as its own OS user when the tests run as root.
  root = await mkdtemp(path.join(tmpdir(), "dam-fault-db-"));
  await chmod(root, 0o755);
  port = await freePort();
  server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port });
  await migrateDatabase(server.url);
  env = {
    ...process.env,
    DATABASE_URL: server.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    DAM_QUEUE_PREFIX: `damtest-${randomBytes(4).toString("hex")}`,
    DAM_LOG_LEVEL: "error",
    ARTIFACTS_DIR: path.join(root, "artifacts"),
  };
  deps = createDeps(readEnv(env));
  file = path.join(root, "events.csv");
  await writeEvents(file);
}, 120_000);
afterAll(async () => {
  if (worker) await stopProcess(worker);
  if (deps) {
    await Promise.all(
      Object.values(deps.queues).map((queue) => queue.obliterate({ force: true }).catch(() => 0)),
    );
    await deps.close();
  }
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the database restarted during a job", () => {
  it("finishes the ingest once, every row loaded once, and no process crashes", async () => {
    worker = spawnApiEntry("worker", {
      ...env,
      DAM_WORKER_QUEUES: "ingest",
      DAM_JOB_LOCK_MS: "2000",
      DAM_JOB_STALLED_INTERVAL_MS: "1000",
    });
    const { job, version } = await createFileImport(deps, null, {
      name: "restart_events",
      kind: "EVENTS",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    await waitFor(
      async () => {
        const row = await deps.db.job.findUniqueOrThrow({ where: { id: job.id } });
        return row.status === "RUNNING" && row.progress > 5 ? row : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: "the ingest to be mid-way" },
    );

    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    server = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), port });

    const done = await waitFor(
      async () => {
        const row = await deps.db.job.findUnique({ where: { id: job.id } }).catch(() => null);
        return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
      },
      { timeoutMs: 180_000, what: "the ingest to finish after the restart" },
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBeGreaterThanOrEqual(1);

    const loaded = await deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(loaded.status).toBe("READY");
    expect(Number(loaded.rowCount)).toBe(ROWS);
    const counts = await deps.pool.query<{ rows: string; lines: string }>(
      `SELECT count(*)::text AS rows, count(DISTINCT _line)::text AS lines FROM ${qualifiedTable(loaded.tableName)}`,
    );
    expect(counts.rows[0]).toEqual({ rows: String(ROWS), lines: String(ROWS) });
    expect(await deps.db.datasetVersion.count()).toBe(1);
    expect(await deps.db.job.count({ where: { queue: "ingest" } })).toBe(1);
    // The worker rode the restart out: same process, still serving.
    expect(isRunning(worker)).toBe(true);
  }, 300_000);
});
