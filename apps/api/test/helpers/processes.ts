import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { createConnection } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait-for.ts";

// Real processes for the fault drills: the API and worker entry points `npm start` runs, and private
// servers (Redis) a test may kill and restart without touching anyone else's.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export { freePort } from "@dam/db/free-port";

export const isRunning = (child: ChildProcess): boolean =>
  child.exitCode === null && child.signalCode === null;

/** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); the exit code, null when killed. */
export const stopProcess = async (child: ChildProcess, graceMs = 30_000): Promise<number | null> => {
  if (!isRunning(child)) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  return code;
};

/** An entry point of apps/api (`src/server.ts`, `src/worker.ts`) as its own process. */
export const spawnApiEntry = (
  entry: "server" | "worker",
  env: NodeJS.ProcessEnv,
  stdio: "ignore" | "inherit" = "ignore",
): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", `apps/api/src/${entry}.ts`], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", stdio],
  });

/**
 * GET /healthz on a connection of its own; 0 when it fails or takes over 3 s (a connection handed to a
 * process that is dying at that moment is never answered, so clients time out and retry).
 */
export const health = (port: number) =>
  new Promise<number>((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    req.setTimeout(3_000, () => req.destroy());
    req.on("error", () => resolve(0));
    req.end();
  });

export const answering = (port: number, what: string, timeoutMs = 30_000) =>
  waitFor(async () => ((await health(port)) === 200 ? true : undefined), { timeoutMs, what });

/** A private redis-server on its own port, no persistence: a drill may kill and restart it. */
export const startPrivateRedis = async (port: number): Promise<ChildProcess> => {
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await waitFor(
    () =>
      new Promise<true | undefined>((resolve) => {
        const socket = createConnectionTo(port);
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(undefined));
      }),
    { timeoutMs: 10_000, intervalMs: 50, what: `redis-server on port ${port}` },
  );
  return child;
};

const createConnectionTo = (port: number) => createConnection({ host: "127.0.0.1", port });
