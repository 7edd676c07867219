import cluster from "node:cluster";
import type { Server } from "node:http";
import { createDeps } from "./deps.ts";
import { readEnv } from "./env.ts";
import { configureLogger, logger } from "./logger.ts";
import { ensureBootstrapAdminKey } from "./modules/auth/auth.service.ts";
import { createServerApp } from "./server-app.ts";
import { exitOnSignals } from "./shutdown.ts";

const env = readEnv();
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * With DAM_API_PROCESSES > 1 this process only supervises: it makes the bootstrap key once, then
 * forks that many HTTP processes that share the port (node:cluster hands them connections in turn).
 * Each loads the serving models and follows promotions over Redis like any other API process. One
 * that dies is replaced; when START_FAILURES_MAX die in a row before listening, the error would only
 * repeat, so the supervisor stops.
 */
const START_FAILURES_MAX = 3;
const supervise = async (processes: number) => {
  configureLogger({ level: env.DAM_LOG_LEVEL, name: "api" });
  if (env.DAM_ADMIN_TOKEN) {
    const deps = createDeps(env);
    try {
      await ensureBootstrapAdminKey(deps.db, env.DAM_ADMIN_TOKEN);
    } finally {
      await deps.close();
    }
  }
  let closing = false;
  const listening = new Set<number>();
  let startFailures = 0;
  cluster.on("listening", (worker) => {
    listening.add(worker.id);
    startFailures = 0;
  });
  cluster.on("exit", (worker, code, signal) => {
    if (closing) return;
    if (!listening.has(worker.id) && ++startFailures >= START_FAILURES_MAX) {
      logger.error("API processes keep failing to start; stopping", {
        code,
        signal,
        attempts: startFailures,
      });
      process.exit(1);
    }
    logger.warn("API process died; starting another", { pid: worker.process.pid, code, signal });
    cluster.fork({ DAM_BOOTSTRAPPED: "1" });
  });
  for (let i = 0; i < processes; i++) cluster.fork({ DAM_BOOTSTRAPPED: "1" });
  // Each HTTP process gets the signal and stops as a single one would; the supervisor waits for them.
  exitOnSignals("API processes shutting down", SHUTDOWN_TIMEOUT_MS, async (signal) => {
    closing = true;
    const workers = Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [worker] : []));
    await Promise.all(
      workers.map((worker) => {
        const exited = new Promise((resolve) => worker.once("exit", resolve));
        worker.process.kill(signal);
        return exited;
      }),
    );
  });
};

const serve = async () => {
  configureLogger({ level: env.DAM_LOG_LEVEL, name: "api" });
  const deps = createDeps(env);
  if (env.DAM_ADMIN_TOKEN && process.env.DAM_BOOTSTRAPPED !== "1") {
    await ensureBootstrapAdminKey(deps.db, env.DAM_ADMIN_TOKEN);
  }
  const { app, stop } = await createServerApp(deps);

  const server: Server = app.listen(env.API_PORT, () => {
    logger.info("API listening", { graphql: `http://localhost:${env.API_PORT}/graphql`, pid: process.pid });
  });
  server.keepAliveTimeout = env.DAM_HTTP_KEEP_ALIVE_MS;
  // Node's rule: the header timeout must outlast the keep-alive timeout, or a request that arrives
  // late on a kept connection is cut off.
  server.headersTimeout = env.DAM_HTTP_KEEP_ALIVE_MS + 1_000;

  exitOnSignals("API shutting down", SHUTDOWN_TIMEOUT_MS, async () => {
    server.close();
    await stop();
    await deps.close();
  });
};

if (cluster.isPrimary && env.DAM_API_PROCESSES > 1) await supervise(env.DAM_API_PROCESSES);
else await serve();
