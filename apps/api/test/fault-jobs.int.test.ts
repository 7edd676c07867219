import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Job } from "@dam/db/client";
import { mulberry32 } from "@dam/vocabulary/prng";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddingDir, readVectors } from "../src/modules/features/embedding-artifact.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { spawnApiEntry, stopProcess } from "./helpers/processes.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Fault drills: a worker process SIGKILLed in the middle of an embedding job and of a training job.
// Another worker process takes the stalled job over and finishes it exactly once: one READY set or
// model version, one vector per item, no duplicate rows. (The ingest drill is worker-recovery.int.test.ts.)

const ITEMS = 40_000;
const USERS = 3_000;

let stack: TTestStack;
let ingestWorkers: ReturnType<typeof startWorkers>;
let dir: string;
let catalogVersionId: string;
let eventsVersionId: string;
const spawned: ChildProcess[] = [];

/** A worker process (src/worker.ts) on `queue`, with a short lock so a killed one's job stalls within seconds. */
const startWorkerProcess = (queue: string): ChildProcess => {
  const child = spawnApiEntry("worker", {
    ...stack.env,
    DAM_WORKER_QUEUES: queue,
    DAM_JOB_LOCK_MS: "2000",
    DAM_JOB_STALLED_INTERVAL_MS: "1000",
  });
  spawned.push(child);
  return child;
};

const writeLines = async (file: string, header: string, count: number, line: (i: number) => string) => {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) if (!out.write(`${line(i)}\n`)) await once(out, "drain");
  out.end();
  await once(out, "finish");
};

const WORDS = [
  "mug",
  "lamp",
  "shoe",
  "hose",
  "chair",
  "table",
  "kettle",
  "towel",
  "pan",
  "rug",
  "clock",
  "vase",
];
const COLOURS = ["red", "blue", "green", "black", "white", "grey", "pink", "brown"];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-fault-jobs-"));
  stack = await startTestStack({
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
    MODELS_DIR: path.join(dir, "no-models"),
  });
  ingestWorkers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  const catalogFile = path.join(dir, "catalog.csv");
  await writeLines(catalogFile, "item_id,title,category", ITEMS, (i) => {
    const word = WORDS[i % WORDS.length]!;
    return `it-${i},${COLOURS[(i * 7) % COLOURS.length]} ${word} model ${i % 997} size ${i % 13},${word}`;
  });
  const catalog = await importAndWait(
    stack,
    {
      name: "drill_catalog",
      kind: "CATALOG",
      source: {
        paths: [catalogFile],
        format: "csv",
        roles: { item_id: "itemId", title: "title", category: "category" },
        types: { item_id: "text" },
      },
    },
    120_000,
  );
  expect(catalog.job.status).toBe("COMPLETED");
  catalogVersionId = catalog.version.id;

  const rng = mulberry32(7);
  const eventsFile = path.join(dir, "events.csv");
  await writeLines(eventsFile, "event_id,user_id,item_id,event_type,timestamp", USERS * 20, (i) => {
    const user = Math.floor(i / 20);
    const item = (user % 50) * 40 + Math.floor(rng() * 40);
    return `e${i},u${user},i${item},view,${new Date(1_700_000_000_000 + i * 1000).toISOString()}`;
  });
  const events = await importAndWait(
    stack,
    {
      name: "drill_events",
      kind: "EVENTS",
      source: {
        paths: [eventsFile],
        format: "csv",
        roles: {
          event_id: "eventId",
          user_id: "userId",
          item_id: "itemId",
          event_type: "eventType",
          timestamp: "timestamp",
        },
        types: {},
      },
    },
    120_000,
  );
  expect(events.job.status).toBe("COMPLETED");
  eventsVersionId = events.version.id;
}, 300_000);
afterAll(async () => {
  for (const child of spawned)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await ingestWorkers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const jobRow = (id: string) => stack.deps.db.job.findUniqueOrThrow({ where: { id } });

/**
 * Starts a worker on `queue`, waits until job `jobId` runs past `progress` %, SIGKILLs the worker,
 * starts another and waits for the job to end there. Returns the finished job.
 */
const killMidwayAndFinish = async (queue: string, jobId: string, progress: number): Promise<Job> => {
  const first = startWorkerProcess(queue);
  await waitFor(
    async () => {
      const row = await jobRow(jobId);
      return row.status === "RUNNING" && row.progress > progress ? row : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 50, what: `job ${jobId} past ${progress} %` },
  );
  first.kill("SIGKILL");
  await once(first, "exit");
  const midway = await jobRow(jobId);
  expect(midway.status).toBe("RUNNING");
  expect(midway.progress).toBeLessThan(100);

  const second = startWorkerProcess(queue);
  const done = await waitFor(
    async () => {
      const row = await jobRow(jobId);
      return ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { timeoutMs: 240_000, what: `job ${jobId} to finish on the second worker` },
  );
  await stopProcess(second);
  return done;
};

describe("a worker SIGKILLed during a job", () => {
  it("embedding: another worker finishes the set once, one vector per item", async () => {
    const started = await stack.gql<{ embedCatalog: { id: string; inputIds: string[] } }>(
      "mutation($versionId: ID!, $template: String) { embedCatalog(input: { versionId: $versionId, template: $template }) { id inputIds } }",
      { versionId: catalogVersionId, template: "{title} ({category})" },
    );
    expect(started.errors).toBeUndefined();
    const { id: jobId, inputIds } = started.data!.embedCatalog;
    // Past the lexical fit (the first 10 %): vectors are being written when the worker dies.
    const done = await killMidwayAndFinish("features", jobId, 20);
    expect(done.error).toBeNull();
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBe(2);

    const sets = await stack.deps.db.embeddingSet.findMany({ where: { sourceVersionId: catalogVersionId } });
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ id: inputIds[0], status: "READY", count: ITEMS });
    const location = embeddingDir(stack.deps.env.ARTIFACTS_DIR, sets[0]!.id);
    const vectors = await readVectors(location);
    expect(vectors?.ids).toHaveLength(ITEMS);
    expect(new Set(vectors?.ids).size).toBe(ITEMS);
    expect((await stat(path.join(location, "vectors.f32"))).size).toBe(ITEMS * sets[0]!.dimension * 4);
    const edges = await stack.deps.db.lineageEdge.count({
      where: { relation: "embedded_by", to: { refId: sets[0]!.id } },
    });
    expect(edges).toBe(1);
  }, 400_000);

  it("training: another worker trains the model once, one READY version", async () => {
    const started = await stack.gql<{ trainModel: { id: string; inputIds: string[] } }>(
      "mutation($input: TrainModelInput!) { trainModel(input: $input) { id inputIds } }",
      {
        input: {
          eventsVersionId,
          name: "drill-model",
          algorithm: "BPR",
          protocol: "LEAVE_LAST_OUT",
          params: { factors: 32, epochs: 30 },
        },
      },
    );
    expect(started.errors).toBeUndefined();
    const { id: jobId, inputIds } = started.data!.trainModel;
    const done = await killMidwayAndFinish("training", jobId, 10);
    expect(done.error).toBeNull();
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts).toBe(2);

    const versions = await stack.deps.db.modelVersion.findMany({ where: { name: "drill-model" } });
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: inputIds[0] });
    expect(["READY", "ACTIVE"]).toContain(versions[0]!.status);
    expect(versions[0]!.location).not.toBeNull();
    const edges = await stack.deps.db.lineageEdge.count({
      where: { relation: "trained_from", to: { type: "MODEL_VERSION", refId: versions[0]!.id } },
    });
    expect(edges).toBe(1);
  }, 400_000);
});
