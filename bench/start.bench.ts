// The README's first command on a fresh clone: `npm install && npm start` until the API is healthy and the
// console answers, then Ctrl-C and `npm start` again (a restart). The clone is of this checkout's HEAD, in a
// temp directory, started on its default (the embedded PostgreSQL) with ports of its own and no demo-data
// wait (the demo import runs in the background, as for a user). Baseline, in the same run: the same clone
// restarted against the external PostgreSQL server (DATABASE_URL), which skips only the embedded server's
// start, so ratio = external restart / embedded restart shows what the embedded default costs.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createEmptyTestDatabase } from "@dam/db/test-db";
import { machineInfo, type TBenchResult } from "./bench-result.ts";

const ROOT = path.resolve(__dirname, "..");
const FRESH_GOAL_S = 120;
const RESTART_GOAL_S = 15;
const log = (line: string) => process.stderr.write(`[bench start] ${line}\n`);

const waitFor = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited (${child.exitCode}) before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
};

type TStartTimes = { healthySeconds: number; consoleSeconds: number };

/** `npm start` in `dir`; seconds until /healthz is 200 and until the console's sign-in page answers. */
const start = async (dir: string, env: NodeJS.ProcessEnv, ports: { api: number; web: number }) => {
  const started = performance.now();
  // Its own process group, so the SIGINT below reaches every process of it, like Ctrl-C in a terminal.
  const child = spawn("npm", ["start"], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  try {
    await waitFor(`http://127.0.0.1:${ports.api}/healthz`, child, 300_000);
    const healthySeconds = (performance.now() - started) / 1000;
    await waitFor(`http://127.0.0.1:${ports.web}/sign-in`, child, 300_000);
    const consoleSeconds = (performance.now() - started) / 1000;
    return { times: { healthySeconds, consoleSeconds } as TStartTimes, stop: () => stopGroup(child) };
  } catch (error) {
    await stopGroup(child);
    throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
  }
};

const stopGroup = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGINT");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 60_000);
  await exited;
  clearTimeout(timer);
};

const round = (seconds: number) => Math.round(seconds * 10) / 10;

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(path.join(tmpdir(), "dam-bench-start-"));
  // The embedded server's OS user (when we run as root) must reach its cluster inside.
  await chmod(work, 0o755);
  const clone = path.join(work, "dam");
  const external = await createEmptyTestDatabase();
  try {
    execFileSync("git", ["clone", "--quiet", "--local", "--no-hardlinks", ROOT, clone]);
    const env = {
      ...process.env,
      DATABASE_URL: "",
      DAM_DATA_DIR: path.join(clone, ".data"),
      DAM_PG_PORT: "54349",
      API_PORT: "4349",
      WEB_PORT: "3349",
      DAM_QUEUE_PREFIX: `dam-bench-start-${process.pid}`,
      DAM_LOG_LEVEL: "warn",
    };
    const ports = { api: 4349, web: 3349 };

    log("fresh clone: npm install");
    const t0 = performance.now();
    execFileSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: clone, env, stdio: "ignore" });
    const installSeconds = (performance.now() - t0) / 1000;
    log(`npm install: ${installSeconds.toFixed(1)} s; npm start (first start: initdb, console build)`);
    const first = await start(clone, env, ports);
    await first.stop();
    log(`first start healthy after ${first.times.healthySeconds.toFixed(1)} s; restarting`);
    const second = await start(clone, env, ports);
    await second.stop();
    log(
      `restart healthy after ${second.times.healthySeconds.toFixed(1)} s; the same clone on the external server`,
    );
    // Its first start migrates and queues the demo shop; the measured one is its restart, like `second`.
    const warmUp = await start(clone, { ...env, DATABASE_URL: external.url }, ports);
    await warmUp.stop();
    const third = await start(clone, { ...env, DATABASE_URL: external.url }, ports);
    await third.stop();

    const fresh = installSeconds + first.times.healthySeconds;
    const ratio = Math.round((third.times.healthySeconds / second.times.healthySeconds) * 100) / 100;
    return {
      name: "start",
      startedAt,
      machine: machineInfo(),
      rows: [
        {
          case: "fresh clone: npm install && npm start (embedded, initdb, console build)",
          installSeconds: round(installSeconds),
          healthySeconds: round(first.times.healthySeconds),
          consoleSeconds: round(first.times.consoleSeconds),
          totalHealthySeconds: round(fresh),
        },
        {
          case: "restart: npm start (embedded, cached console build)",
          healthySeconds: round(second.times.healthySeconds),
          consoleSeconds: round(second.times.consoleSeconds),
        },
        {
          case: "baseline: restart on the external PostgreSQL (DATABASE_URL), same clone",
          healthySeconds: round(third.times.healthySeconds),
          consoleSeconds: round(third.times.consoleSeconds),
        },
      ],
      baseline: {
        what: "seconds until /healthz answers 200 when the same clone restarts on the external PostgreSQL",
        value: round(third.times.healthySeconds),
      },
      ratio,
      goal: `fresh clone healthy (npm install + npm start) under ${FRESH_GOAL_S} s; a restart healthy under ${RESTART_GOAL_S} s`,
      met: fresh < FRESH_GOAL_S && second.times.healthySeconds < RESTART_GOAL_S,
    };
  } finally {
    await external.drop();
    await rm(work, { recursive: true, force: true });
  }
};
