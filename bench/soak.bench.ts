// Soak: `recommend` at 500 requests/s and `trackEvents` at 50/s, open loop (each request is sent on
// its schedule whether or not the previous ones were answered), against the stack as `npm start` runs
// it (scripts/start.ts: migrations, bootstrap, the API (two processes, one per core) and one worker; DAM_CONSOLE=0 skips the
// console, DAM_DEMO=0 the demo shop) on a fresh PostgreSQL database with a synthetic ACTIVE model.
// Reported per minute: requests, errors, p50/p99 of each operation, the RSS of the API and of the
// worker; and the RSS slope (MB/min, least squares over samples every 5 s) after the warm-up.
// Goal: zero errors, and no RSS growth after warm-up (slope under +1 MB/min for each process).
// Duration: 10 minutes; `npm run bench -- soak --minutes=2` or DAM_SOAK_MINUTES=2 for a shorter run
// (--recommend-rate / --track-rate change the rates, for a machine that cannot carry 500/s).
// Baseline, same run: the p99 of recommend in the first minute (ratio = first-minute p99 / last-minute
// p99: 1 means no latency drift over the run).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import type { Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@dam/db/test-db";
import { ArtifactScorer } from "@dam/recsys/artifact-scorer";
import { encodeModelArtifact } from "@dam/recsys/model-artifact";
import { createRng } from "@dam/recsys/prng";
import { machineInfo, type TBenchResult, type TBenchRow } from "./bench-result.ts";
import { keepAliveAgent, postGraphql } from "./graphql-post.ts";
import { childPids, endServedRun, gql, rssMbOf, syntheticModel, waitFor } from "./serving-load.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ITEMS = 20_000;
const USERS = 5_000;
const DIM = 32;
const MINUTE_MS = 60_000;
const API_PROCESSES = 2;
const RSS_EVERY_MS = 5_000;
/** The share of the run treated as warm-up for the RSS slope (at least the first minute). */
const WARM_UP_SHARE = 0.2;
const GOAL_SLOPE_MB_PER_MIN = 1;
const REQUEST_TIMEOUT_MS = 10_000;
const TOKEN = `bench-soak-${randomBytes(8).toString("hex")}`;

const log = (line: string) => process.stderr.write(`[bench soak] ${line}\n`);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** `--<name>=<n>` on the command line, else the environment variable, else the default. */
const setting = (name: string, envName: string, fallback: number): number => {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = Number(flag?.slice(name.length + 3) ?? process.env[envName] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`soak: --${name} must be a positive number, got ${value}`);
  }
  return value;
};

/** Least-squares slope of y over x. */
export const slope = (points: { x: number; y: number }[]): number => {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
};

const RECOMMEND = `query($userId: String!) { recommend(userId: $userId, first: 10) { items { itemId } } }`;
const TRACK = `mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }`;

type TMinute = {
  recommend: number[];
  track: number[];
  errors: number;
  errorKinds: Record<string, number>;
  apiRss: number[];
  workerRss: number[];
};
const newMinute = (): TMinute => ({
  recommend: [],
  track: [],
  errors: 0,
  errorKinds: {},
  apiRss: [],
  workerRss: [],
});

/**
 * One POST on the keep-alive agent; resolves with the latency, rejects with what went wrong. The
 * deadline runs from the moment the request is due, not from when it gets a socket: a request queued
 * behind an overloaded API counts as late (an error) and the run ends on time.
 */
const post = (agent: Agent, url: string, body: string) =>
  new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), REQUEST_TIMEOUT_MS);
    postGraphql(url, TOKEN, body, agent).then(
      ({ status, text, ms }) => {
        clearTimeout(timer);
        if (status !== 200) return reject(new Error(`HTTP ${status}`));
        const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
        if (parsed.errors) return reject(new Error(parsed.errors[0]?.extensions?.code ?? "GRAPHQL_ERROR"));
        resolve(ms);
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** The API and worker processes `npm start` runs, found by their command lines among its children. */
const findStackPids = async (startPid: number) => {
  const { readFile } = await import("node:fs/promises");
  const pids = await childPids(startPid);
  const commands = await Promise.all(
    pids.map(async (pid) => ({
      pid,
      cmd: (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " "),
    })),
  );
  const api = commands.find((c) => c.cmd.includes("apps/api/src/server.ts"))?.pid;
  const worker = commands.find((c) => c.cmd.includes("apps/api/src/worker.ts"))?.pid;
  return api && worker ? { api, worker } : undefined;
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const minutes = setting("minutes", "DAM_SOAK_MINUTES", 10);
  // The rates by default; lower ones show the bench on a machine that cannot carry them.
  const RECOMMEND_RATE = setting("recommend-rate", "DAM_SOAK_RECOMMEND_RATE", 500);
  const TRACK_RATE = setting("track-rate", "DAM_SOAK_TRACK_RATE", 50);
  const dir = await mkdtemp(path.join(tmpdir(), "dam-bench-soak-"));
  await chmod(dir, 0o755);
  const database = await createTestDatabase();
  let stack: ChildProcess | null = null;
  try {
    // A synthetic ACTIVE model: recommend then answers from the model for known users.
    const modelVersionId = randomUUID();
    const location = path.join(dir, "artifacts", "models", `${modelVersionId}.damm`);
    await mkdir(path.dirname(location), { recursive: true });
    const artifact = syntheticModel({ items: ITEMS, users: USERS, dim: DIM, seed: 7 });
    await writeFile(location, encodeModelArtifact(artifact));
    // Its HNSW index beside it, as the serving store caches one: the API processes adopt it instead of
    // each building it while the load runs.
    const builder = new ArtifactScorer(artifact);
    await builder.buildAnn(1_000);
    await writeFile(`${location}.hnsw`, new Uint8Array(builder.exportAnn()!));
    await database.prisma.modelVersion.create({
      data: {
        id: modelVersionId,
        name: "soak",
        version: 1,
        algorithm: "ALS",
        // Loaded straight from an artifact: no recorded inputs.
        inputs: { eventsVersionId: "", catalogVersionId: null, featureSetId: null, segmentSetId: null },
        status: "ACTIVE",
        location,
        promotedAt: new Date(),
      },
    });
    await database.prisma.$disconnect();

    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const url = `http://127.0.0.1:${port}`;
    log(`starting the stack as npm start does (scripts/start.ts, DAM_CONSOLE=0) on port ${port}`);
    stack = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        DAM_QUEUE_PREFIX: `dambench-${randomBytes(4).toString("hex")}`,
        DAM_ADMIN_TOKEN: TOKEN,
        DAM_DATA_DIR: path.join(dir, "data"),
        ARTIFACTS_DIR: path.join(dir, "artifacts"),
        API_PORT: String(port),
        DAM_CONSOLE: "0",
        // One API process per core, as bench/serve.bench.ts measured 500 requests/s with.
        DAM_API_PROCESSES: String(API_PROCESSES),
        DAM_DEMO: "0",
        DAM_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const startPid = stack.pid!;
    await waitFor("the API to serve the model", 180_000, async () => {
      const answer = await gql(url, TOKEN, "{ servingModels { id } }");
      return (answer.data?.servingModels as unknown[] | undefined)?.length ? true : undefined;
    });
    const pids = await waitFor("the API and worker processes", 30_000, () => findStackPids(startPid));
    log(
      `API pid ${pids.api}, worker pid ${pids.worker}; ${minutes} min at ${RECOMMEND_RATE} + ${TRACK_RATE} requests/s`,
    );

    const agent = keepAliveAgent(64);
    const rng = createRng(11);
    const durationMs = minutes * MINUTE_MS;
    const buckets: TMinute[] = Array.from({ length: Math.ceil(minutes) }, newMinute);
    const rssSamples: { x: number; api: number; worker: number }[] = [];
    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    const bucketOf = () =>
      buckets[Math.min(buckets.length - 1, Math.floor((performance.now() - t0) / MINUTE_MS))]!;
    const send = (kind: "recommend" | "track") => {
      const user = `user-${Math.floor(rng() * USERS)}`;
      const body =
        kind === "recommend"
          ? JSON.stringify({ query: RECOMMEND, variables: { userId: user } })
          : JSON.stringify({
              query: TRACK,
              variables: {
                events: [{ userId: user, itemId: `item-${Math.floor(rng() * ITEMS)}`, type: "view" }],
              },
            });
      const bucket = bucketOf();
      const done = post(agent, url, body).then(
        (ms) => void bucket[kind].push(ms),
        (error: Error) => {
          bucket.errors++;
          bucket.errorKinds[`${kind}: ${error.message}`] =
            (bucket.errorKinds[`${kind}: ${error.message}`] ?? 0) + 1;
        },
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };

    // Open loop: every 10 ms, send what the schedule says is due by now (no catching up in bursts
    // beyond one tick's worth, no waiting for answers).
    let sentRecommend = 0;
    let sentTrack = 0;
    let reported = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = performance.now() - t0;
        if (elapsed >= durationMs) {
          clearInterval(tick);
          clearInterval(sampler);
          resolve();
          return;
        }
        const minute = Math.floor(elapsed / MINUTE_MS);
        if (minute > reported) {
          const last = buckets[reported]!;
          log(
            `minute ${reported + 1} sent: ${last.recommend.length} recommend and ${last.track.length} trackEvents answered so far, ${last.errors} errors`,
          );
          reported = minute;
        }
        const dueRecommend = Math.floor((elapsed / 1000) * RECOMMEND_RATE);
        const dueTrack = Math.floor((elapsed / 1000) * TRACK_RATE);
        for (; sentRecommend < dueRecommend; sentRecommend++) send("recommend");
        for (; sentTrack < dueTrack; sentTrack++) send("track");
      }, 10);
      const sampler = setInterval(() => {
        const x = (performance.now() - t0) / MINUTE_MS;
        void Promise.all([rssMbOf(pids.api), rssMbOf(pids.worker)]).then(([api, worker]) => {
          rssSamples.push({ x, api, worker });
          const bucket = bucketOf();
          bucket.apiRss.push(api);
          bucket.workerRss.push(worker);
        });
      }, RSS_EVERY_MS);
    });
    await Promise.all([...inFlight]);
    agent.destroy();

    const rows: TBenchRow[] = buckets.map((bucket, i) => {
      const recommend = [...bucket.recommend].sort((a, b) => a - b);
      const track = [...bucket.track].sort((a, b) => a - b);
      const mean = (xs: number[]) => (xs.length ? round(xs.reduce((s, x) => s + x, 0) / xs.length, 1) : null);
      const row = {
        minute: i + 1,
        recommendRequests: recommend.length,
        recommendP50Ms: round(quantile(recommend, 0.5)),
        recommendP99Ms: round(quantile(recommend, 0.99)),
        trackRequests: track.length,
        trackP50Ms: round(quantile(track, 0.5)),
        trackP99Ms: round(quantile(track, 0.99)),
        errors: bucket.errors,
        ...(bucket.errors > 0 ? { errorKinds: bucket.errorKinds } : {}),
        apiRssMb: mean(bucket.apiRss),
        workerRssMb: mean(bucket.workerRss),
        // The minute's lowest sample: the floor after the collector ran, less noisy than the mean.
        apiRssFloorMb: bucket.apiRss.length ? Math.min(...bucket.apiRss) : null,
        workerRssFloorMb: bucket.workerRss.length ? Math.min(...bucket.workerRss) : null,
      };
      log(
        `minute ${row.minute}: recommend ${row.recommendRequests} (p99 ${row.recommendP99Ms} ms), track ${row.trackRequests} (p99 ${row.trackP99Ms} ms), errors ${row.errors}, RSS api ${row.apiRssMb} MB, worker ${row.workerRssMb} MB`,
      );
      return row;
    });
    const warmUp = Math.max(1, minutes * WARM_UP_SHARE);
    const steady = rssSamples.filter((sample) => sample.x >= Math.min(warmUp, minutes / 2));
    const apiSlope = slope(steady.map((s) => ({ x: s.x, y: s.api })));
    const workerSlope = slope(steady.map((s) => ({ x: s.x, y: s.worker })));
    const errors = buckets.reduce((sum, bucket) => sum + bucket.errors, 0);
    const stored = await database.prisma.liveEvent.count();
    await database.prisma.$disconnect();
    rows.push({
      minute: "after warm-up",
      warmUpMinutes: round(Math.min(warmUp, minutes / 2)),
      rssSamples: steady.length,
      apiRssSlopeMbPerMin: round(apiSlope, 3),
      workerRssSlopeMbPerMin: round(workerSlope, 3),
      errors,
      trackedEventsStored: stored,
      trackCallsAnswered: buckets.reduce((sum, bucket) => sum + bucket.track.length, 0),
    });
    const firstP99 = Number(rows[0]!.recommendP99Ms);
    const lastP99 = Number(rows[buckets.length - 1]!.recommendP99Ms);
    // Growth is what the goal forbids; memory handed back to the system (a negative slope) is fine.
    const met = errors === 0 && apiSlope < GOAL_SLOPE_MB_PER_MIN && workerSlope < GOAL_SLOPE_MB_PER_MIN;
    return {
      name: "soak",
      startedAt,
      machine: machineInfo(),
      rows,
      baseline: { what: "recommend p99 (ms) in the first minute of the same run", value: firstP99 },
      ratio: lastP99 > 0 ? round(firstP99 / lastP99, 3) : 0,
      goal: `recommend ${RECOMMEND_RATE}/s + trackEvents ${TRACK_RATE}/s for ${minutes} min: zero errors, RSS slope after warm-up under +${GOAL_SLOPE_MB_PER_MIN} MB/min (no growth) for the API and the worker`,
      met,
    };
  } finally {
    await endServedRun(stack, database, dir);
  }
};
