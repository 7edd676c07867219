import { createDeps } from "./deps.ts";
import { readEnv } from "./env.ts";
import { configureLogger, logger } from "./logger.ts";
import { isQueueName, QUEUE_NAMES } from "./modules/jobs/queue-names.ts";
import { WORKER_REGISTRY } from "./modules/jobs/worker-registry.ts";
import { startWorkers } from "./modules/jobs/worker-runtime.ts";
import { armNightlyRetention } from "./modules/privacy/retention.service.ts";
import { exitOnSignals } from "./shutdown.ts";

const env = readEnv();
configureLogger({ level: env.DAM_LOG_LEVEL, name: "worker" });
const queues = env.DAM_WORKER_QUEUES
  ? env.DAM_WORKER_QUEUES.split(",").map((name) => name.trim())
  : QUEUE_NAMES;
const unknown = queues.filter((name) => !isQueueName(name));
if (unknown.length > 0) {
  throw new Error(
    `DAM_WORKER_QUEUES names unknown queues: ${unknown.join(", ")} (known: ${QUEUE_NAMES.join(", ")})`,
  );
}
const deps = createDeps(env);
const { stop } = startWorkers(deps, WORKER_REGISTRY, queues.filter(isQueueName), {
  lockDurationMs: env.DAM_JOB_LOCK_MS,
  stalledIntervalMs: env.DAM_JOB_STALLED_INTERVAL_MS,
});
logger.info("worker started", { queues, pid: process.pid });
// The nightly retention run (privacy.retention) is armed by the workers that take maintenance jobs.
if (queues.includes("maintenance")) {
  armNightlyRetention(deps).catch((error: unknown) =>
    logger.error("could not arm the nightly retention run", { error: String(error) }),
  );
}

const SHUTDOWN_TIMEOUT_MS = 35_000;
// The grace period for the job in hand is 25 s (worker-runtime); past that, closing must not hang.
exitOnSignals(
  "worker shutting down: finishing or returning the jobs in hand",
  SHUTDOWN_TIMEOUT_MS,
  async () => {
    await stop();
    await deps.close();
  },
);
