import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answering,
  freePort,
  health,
  isRunning,
  spawnApiEntry,
  startPrivateRedis,
  stopProcess,
} from "./helpers/processes.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// Fault drill: Redis unavailable for 10 s while trackEvents is called. The API runs as its own process
// (src/server.ts) against a private redis-server this test kills and restarts. Every acknowledged event
// must be stored exactly once; a call that cannot be acknowledged gets SERVICE_UNAVAILABLE (HTTP 503,
// Retry-After) and stores nothing; the process stays up and /healthz recovers.

const OUTAGE_MS = 10_000;
const CALL_EVERY_MS = 50;

let stack: TTestStack;
let redisPort: number;
let redis: ChildProcess;
let api: ChildProcess;
let apiPort: number;

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startPrivateRedis(redisPort);
  stack = await startTestStack({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
  apiPort = await freePort();
  api = spawnApiEntry("server", { ...stack.env, API_PORT: String(apiPort), DAM_RATE_LIMIT_PER_SECOND: "0" });
  await answering(apiPort, "the API process", 60_000);
}, 120_000);
afterAll(async () => {
  if (api) await stopProcess(api);
  await stack?.close();
  if (redis) await stopProcess(redis);
});

type TCall = { i: number; status: number; code?: string; retryAfter: string | null; accepted?: number };

/** One trackEvents call with one event of its own user, so the rows of each call can be counted. */
const track = async (i: number): Promise<TCall> => {
  const response = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({
      query: "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }",
      variables: { events: [{ userId: `drill-user-${i}`, itemId: `drill-item-${i}`, type: "view" }] },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as {
    data?: { trackEvents?: { accepted: number } | null } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  return {
    i,
    status: response.status,
    code: body.errors?.[0]?.extensions?.code,
    retryAfter: response.headers.get("retry-after"),
    accepted: body.data?.trackEvents?.accepted,
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Redis unavailable for 10 s while trackEvents is called", () => {
  it("stores every acknowledged event once, refuses the others retryably, and recovers", async () => {
    const apiPid = api.pid;
    const calls: Promise<TCall>[] = [];
    let next = 0;
    const caller = setInterval(() => calls.push(track(next++)), CALL_EVERY_MS);
    const healthDuringOutage: number[] = [];
    try {
      await sleep(2_000);
      const before = next;
      redis.kill("SIGKILL");
      await once(redis, "exit");
      const outageEnds = Date.now() + OUTAGE_MS;
      while (Date.now() < outageEnds) {
        healthDuringOutage.push(await health(apiPort));
        await sleep(500);
      }
      redis = await startPrivateRedis(redisPort);
      await answering(apiPort, "/healthz once Redis is back");
      const recovered = next;
      await sleep(3_000);
      expect(recovered).toBeGreaterThan(before);
    } finally {
      clearInterval(caller);
    }
    const results = await Promise.all(calls);

    // Every answer is an acknowledgement or a retryable refusal: never an internal error.
    const acked = results.filter((r) => r.status === 200 && r.accepted === 1);
    const refused = results.filter((r) => !(r.status === 200 && r.accepted === 1));
    for (const call of refused) {
      expect(call, `call ${call.i}`).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
      expect(Number(call.retryAfter), `call ${call.i}`).toBeGreaterThan(0);
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(acked.length).toBeGreaterThan(0);
    // Calls made after the recovery are acknowledged again.
    expect(results.slice(-20).every((r) => r.status === 200 && r.accepted === 1)).toBe(true);

    // Exactly once: one row per acknowledged call, none for a refused one.
    const rows = await stack.deps.pool.query<{ userId: string; n: string }>(
      `SELECT "userId", count(*)::text AS n FROM "LiveEvent" WHERE "userId" LIKE 'drill-user-%' GROUP BY "userId"`,
    );
    const stored = new Map(rows.rows.map((row) => [row.userId, Number(row.n)]));
    for (const call of acked) expect(stored.get(`drill-user-${call.i}`), `call ${call.i}`).toBe(1);
    for (const call of refused) expect(stored.get(`drill-user-${call.i}`), `call ${call.i}`).toBeUndefined();
    expect([...stored.values()].reduce((sum, n) => sum + n, 0)).toBe(acked.length);

    // The same process answered throughout, and said it was degraded while Redis was away.
    expect(isRunning(api)).toBe(true);
    expect(api.pid).toBe(apiPid);
    expect(healthDuringOutage).toContain(503);
    expect(await health(apiPort)).toBe(200);
  }, 120_000);
});
