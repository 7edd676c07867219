// `npm start`: the whole product on one machine. Without DATABASE_URL it starts the embedded PostgreSQL
// server (packages/db/src/embedded.ts, data in $DAM_DATA_DIR/pg); without a reachable Redis it starts a
// local redis-server when one is installed. Then it migrates, makes sure an admin key exists, queues the demo shop on an empty
// database, and runs the API, one worker and the console (not with DAM_CONSOLE=0) until Ctrl-C.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_EMBEDDED_PORT, describeLegacyPglite, startEmbeddedPostgres } from "@dam/db/embedded";
import { Redis } from "ioredis";
import { bootstrapInstall } from "../apps/api/src/bootstrap.ts";
import { readEnv } from "../apps/api/src/env.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DATA_DIR = path.resolve(process.env.DAM_DATA_DIR ?? path.join(ROOT, ".data"));
const API_PORT = Number(process.env.API_PORT ?? 4000);
const WEB_PORT = Number(process.env.WEB_PORT ?? 3000);
const EMBEDDED_PG_PORT = Number(process.env.DAM_PG_PORT ?? DEFAULT_EMBEDDED_PORT);

const say = (line: string) => process.stdout.write(`[dam] ${line}\n`);
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

const redisAnswers = async (url: string): Promise<boolean> => {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

const ensureRedis = async (url: string): Promise<void> => {
  if (await redisAnswers(url)) return;
  const binary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((file) => existsSync(file));
  if (!binary) {
    throw new Error(
      `No Redis answers at ${url} and redis-server is not installed.\n` +
        "Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.",
    );
  }
  const port = new URL(url).port || "6379";
  const dir = path.join(DATA_DIR, "redis");
  await mkdir(dir, { recursive: true });
  say(`no Redis at ${url}: starting ${binary} on port ${port}`);
  const redis = spawn(
    binary,
    ["--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    // Its own process group, like the database: Ctrl-C must not take Redis away from a worker handing
    // its job back.
    { stdio: "ignore", detached: true },
  );
  cleanups.push(async () => {
    redis.kill("SIGTERM");
  });
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server did not answer on ${url} within 5 s`);
};

/** How often a crashed API or worker is restarted within RESTART_WINDOW_MS before everything stops. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 5 * 60_000;

/**
 * Starts a child process. When it exits unexpectedly everything stops, except for a `restartable` one
 * (the API and the worker: they hold no state of their own; the job a worker had in hand is recovered
 * as stalled by the next one), which is started again, at most MAX_RESTARTS times in RESTART_WINDOW_MS.
 */
const run = (
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
  restartable = false,
): ChildProcess => {
  const restarts: number[] = [];
  const start = (): ChildProcess => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code, signal) => {
      const index = children.indexOf(child);
      if (index >= 0) children.splice(index, 1);
      if (shuttingDown) return;
      const now = Date.now();
      while (restarts.length > 0 && now - (restarts[0] ?? now) > RESTART_WINDOW_MS) restarts.shift();
      if (restartable && restarts.length < MAX_RESTARTS) {
        restarts.push(now);
        say(
          `${name} exited (${signal ?? code}); restarting it (${restarts.length} of ${MAX_RESTARTS} in 5 min)`,
        );
        start();
        return;
      }
      say(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    });
    children.push(child);
    return child;
  };
  return start();
};

const waitForHttp = async (url: string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
};

let shuttingDown = false;
const shutdown = async (code: number): Promise<void> => {
  if (shuttingDown) return;
  shuttingDown = true;
  say("stopping: console, API and worker (the worker finishes or returns its job)...");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  say("stopped");
  process.exit(code);
};

const main = async (): Promise<void> => {
  await mkdir(DATA_DIR, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(API_PORT),
    NODE_ENV: process.env.NODE_ENV ?? "production",
  };

  if (!env.DATABASE_URL) {
    const legacy = await describeLegacyPglite(DATA_DIR);
    if (legacy) for (const line of legacy.split("\n")) say(line);
    const pgDir = path.join(DATA_DIR, "pg");
    say(`no DATABASE_URL: starting the embedded PostgreSQL (data in ${pgDir}, log in ${pgDir}/postgres.log)`);
    const t0 = Date.now();
    const embedded = await startEmbeddedPostgres({ dataDir: pgDir, port: EMBEDDED_PG_PORT, log: say });
    cleanups.push(() => embedded.stop());
    env.DATABASE_URL = embedded.url;
    env.DAM_EMBEDDED_DB = "1";
    say(
      `embedded PostgreSQL on 127.0.0.1:${embedded.port} (pid ${embedded.pid}) ready in ${Date.now() - t0} ms`,
    );
  }
  env.REDIS_URL = env.REDIS_URL ?? "redis://127.0.0.1:6379";
  await ensureRedis(env.REDIS_URL);

  const config = readEnv(env);
  const boot = await bootstrapInstall(config, {
    dataDir: DATA_DIR,
    loadDemo: env.DAM_DEMO !== "0",
    log: say,
  });
  if (boot.appliedMigrations.length > 0) say(`applied migrations: ${boot.appliedMigrations.join(", ")}`);
  env.DAM_ADMIN_TOKEN = boot.adminToken;
  if (boot.adminTokenCreated) {
    say("created the admin API key (shown once; also kept in .data/admin-token):");
    say(`    ${boot.adminToken}`);
  } else if (!process.env.DAM_ADMIN_TOKEN) {
    say(`admin API key: see ${path.join(DATA_DIR, "admin-token")}`);
  }

  // node --import tsx (not the tsx CLI): signals reach our own handlers, so shutdown is graceful.
  run("api", process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], env, ROOT, true);
  // A 4 MB young generation (V8's default is 16 MB a semi-space) keeps an import's peak memory flat:
  // bench/ingest-memory-child.ts, 5M rows: 251 MB peak with it, 281-284 MB without.
  run(
    "worker",
    process.execPath,
    ["--max-semi-space-size=4", "--import", "tsx", "apps/api/src/worker.ts"],
    env,
    ROOT,
    true,
  );

  // DAM_CONSOLE=0: the API and the worker only (benchmarks, headless servers); no console build.
  if (env.DAM_CONSOLE === "0") {
    await waitForHttp(`http://127.0.0.1:${API_PORT}/healthz`, 120_000);
    say(`ready: API http://localhost:${API_PORT}/graphql, no console (DAM_CONSOLE=0)  (Ctrl-C stops)`);
    return;
  }
  const webDir = path.join(ROOT, "apps/web");
  const next = path.join(ROOT, "node_modules/.bin/next");
  const webEnv = {
    ...env,
    DAM_API_URL: `http://127.0.0.1:${API_PORT}`,
    PORT: String(WEB_PORT),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // turbo replays a cached build in about a second, and rebuilds only when the console's sources changed.
  say("building the console if its sources changed (the first build takes ~30-60 s)...");
  execFileSync(
    path.join(ROOT, "node_modules/.bin/turbo"),
    ["run", "build", "--filter=@dam/web", "--output-logs=errors-only"],
    {
      cwd: ROOT,
      env: { ...webEnv, TURBO_TELEMETRY_DISABLED: "1" },
      stdio: "inherit",
    },
  );
  // The console answers only once the API does: a console that is up before its API (a cached build
  // starts in a second, the API takes longer) would greet the first visitor with "API unreachable".
  await waitForHttp(`http://127.0.0.1:${API_PORT}/healthz`, 120_000);
  run("web", next, ["start", "-p", String(WEB_PORT), "-H", "127.0.0.1"], webEnv, webDir);
  await waitForHttp(`http://127.0.0.1:${WEB_PORT}/sign-in`, 60_000);
  say(
    `ready: console http://localhost:${WEB_PORT}  API http://localhost:${API_PORT}/graphql  (Ctrl-C stops)`,
  );
};

// Ctrl-C reaches every process of the terminal's group at once; the children shut themselves down,
// and this process waits for them before it stops the embedded database.
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch(async (error: unknown) => {
  process.stderr.write(`[dam] start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
});
