import { createPgPool, createPrismaClient, type PrismaClient } from "@dam/db/client";
import { createSqlSandbox, type TSqlSandbox } from "@dam/db/sql-sandbox";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type pg from "pg";
import type { TEnv } from "./env.ts";
import { QUEUE_NAMES, type TQueueName } from "./modules/jobs/queue-names.ts";

/** Everything a service needs from the outside world, built once per process. */
export type TDeps = {
  env: TEnv;
  db: PrismaClient;
  pool: pg.Pool;
  /** Where user-written SQL runs: a least-privilege role on a pool of its own. */
  sandbox: TSqlSandbox;
  redis: Redis;
  /**
   * The same Redis without an offline queue or retries, for request-path writes that must fail at once
   * while Redis is away (trackEvents): on `redis` a command waits for the reconnect and runs later,
   * after its request may have been answered with an error.
   */
  redisFailFast: Redis;
  queues: Record<TQueueName, Queue>;
  close: () => Promise<void>;
};

// ioredis and BullMQ reconnect by themselves; an `error` event with no listener is printed with its
// stack on every retry (or, on a plain emitter, thrown). A listener makes it explicit that a lost
// connection never takes the process down, and logs it once per 10 s.
const noteRedisErrors = <T extends { on: (event: "error", listener: (error: Error) => void) => unknown }>(
  emitter: T,
  name: string,
): T => {
  let lastAt = 0;
  emitter.on("error", (error: Error) => {
    if (Date.now() - lastAt < 10_000) return;
    lastAt = Date.now();
    process.stderr.write(
      `${JSON.stringify({ t: new Date().toISOString(), level: "warn", msg: `redis connection (${name}) error`, error: error.message })}\n`,
    );
  });
  return emitter;
};

export const createRedis = (url: string): Redis =>
  // BullMQ needs maxRetriesPerRequest: null so blocking commands survive reconnects.
  noteRedisErrors(
    new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false }),
    "main",
  );

export const createDeps = (env: TEnv): TDeps => {
  const db = createPrismaClient(env.DATABASE_URL, { max: env.DAM_DB_POOL_MAX });
  const pool = createPgPool(env.DATABASE_URL, env.DAM_DB_POOL_MAX);
  const sandbox = createSqlSandbox({
    pool,
    databaseUrl: env.DATABASE_URL,
    sandboxUrl: env.DAM_SANDBOX_DATABASE_URL,
    max: env.DAM_SANDBOX_POOL_MAX,
    statementTimeoutMs: env.DAM_SANDBOX_STATEMENT_TIMEOUT_MS,
  });
  const redis = createRedis(env.REDIS_URL);
  const redisFailFast = noteRedisErrors(
    redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0 }),
    "fail-fast",
  );
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [
      name,
      noteRedisErrors(new Queue(name, { connection: redis, prefix: env.DAM_QUEUE_PREFIX }), `queue ${name}`),
    ]),
  ) as Record<TQueueName, Queue>;
  const close = async (): Promise<void> => {
    await Promise.allSettled(Object.values(queues).map((queue) => queue.close()));
    await sandbox.close().catch(() => undefined);
    await Promise.allSettled([db.$disconnect(), pool.end()]);
    redis.disconnect();
    redisFailFast.disconnect();
  };
  return { env, db, pool, sandbox, redis, redisFailFast, queues, close };
};
