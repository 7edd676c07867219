// Shared by the serving benchmarks (serve, soak, search-http): a seeded synthetic factor model an API
// can serve, GraphQL requests on connections of their own, waiting for a condition, what a process
// costs (CPU from /proc, RSS of it and its children), and the teardown of a run.
import type { ChildProcess } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import type { TModelArtifact } from "@dam/recsys/model-artifact";
import { createRng, randomNormal } from "@dam/recsys/prng";
import { postGraphql } from "./graphql-post.ts";

/**
 * Seeded Gaussian factors (items `item-<i>`, users `user-<u>`), with scales as in a trained implicit
 * model: small, item norms varying (popular items longer).
 */
export const syntheticModel = (size: {
  items: number;
  users: number;
  dim: number;
  seed: number;
}): TModelArtifact => {
  const { items: ITEMS, users: USERS, dim: DIM } = size;
  const rng = createRng(size.seed);
  const user = new Float32Array(USERS * DIM);
  for (let i = 0; i < user.length; i++) user[i] = randomNormal(rng) * 0.3;
  const item = new Float32Array(ITEMS * DIM);
  const popularity = new Float32Array(ITEMS);
  for (let i = 0; i < ITEMS; i++) {
    const scale = 0.1 + 0.2 * rng();
    for (let d = 0; d < DIM; d++) item[i * DIM + d] = randomNormal(rng) * scale;
    popularity[i] = Math.floor(1000 * scale * scale);
  }
  return {
    algorithm: "ALS",
    itemIds: Array.from({ length: ITEMS }, (_, i) => `item-${i}`),
    userIds: Array.from({ length: USERS }, (_, u) => `user-${u}`),
    popularity,
    factors: { dim: DIM, user, item },
    params: { factors: DIM, alpha: 10, regularization: 0.1, synthetic: true },
  };
};

export const waitFor = async <T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
};

/** The pids of a process's children, from /proc (Linux). */
export const childPids = async (pid: number): Promise<number[]> => {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8")).trim();
  return children ? children.split(" ").map(Number) : [];
};

/** CPU time (user + system, ms) a process and its children have used, from /proc (Linux). */
export const cpuMsOf = async (pid: number): Promise<number> => {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  let total = own;
  for (const child of await childPids(pid)) total += await cpuMsOf(child);
  return total;
};

/** Resident memory (MB) of a process and its children, from /proc (Linux). */
export const rssMbOf = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  let total = kb / 1024;
  for (const child of await childPids(pid)) total += await rssMbOf(child);
  return total;
};

/**
 * A GraphQL request on a connection of its own: the API's processes share the port and each
 * connection lands on one of them, so a readiness check must not ride one keep-alive socket (and
 * no socket is left idle for the API to close while the bench computes).
 */
export const gql = async (
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
) =>
  JSON.parse((await postGraphql(url, token, JSON.stringify({ query, variables }), false)).text) as {
    data?: Record<string, unknown>;
    errors?: { message: string }[];
  };

/**
 * The end of a benchmark that started a server process: SIGTERM to it (waiting for its exit, so its
 * connections close before the database goes), then its database and scratch directory removed.
 */
export const endServedRun = async (
  server: ChildProcess | null,
  database: { drop(): Promise<void> },
  dir: string,
): Promise<void> => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await database.drop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
};
