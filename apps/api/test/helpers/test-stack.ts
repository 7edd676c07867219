import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase } from "@dam/db/test-db";
import { createDeps, type TDeps } from "../../src/deps.ts";
import { readEnv } from "../../src/env.ts";
import { ensureBootstrapAdminKey } from "../../src/modules/auth/auth.service.ts";
import { createServerApp } from "../../src/server-app.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

export type TTestStack = {
  deps: TDeps;
  url: string;
  databaseUrl: string;
  queuePrefix: string;
  env: NodeJS.ProcessEnv;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ) => Promise<{
    status: number;
    data?: T;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  }>;
  close: () => Promise<void>;
};

/**
 * A real stack for one test file: its own PostgreSQL database (migrated), its own Redis key prefix,
 * and the API listening on a free port. Nothing is mocked.
 */
export const startTestStack = async (overrides: Record<string, string> = {}): Promise<TTestStack> => {
  const database = await createTestDatabase();
  await database.prisma.$disconnect();
  const queuePrefix = `damtest-${randomBytes(4).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    DAM_QUEUE_PREFIX: queuePrefix,
    DAM_ADMIN_TOKEN: ADMIN_TOKEN,
    DAM_LOG_LEVEL: "error",
    API_PORT: "0",
    ...overrides,
  };
  const deps = createDeps(readEnv(env));
  await ensureBootstrapAdminKey(deps.db, ADMIN_TOKEN);
  const api = await listen(deps);
  const close = async () => {
    await api.close();
    await Promise.all(
      Object.values(deps.queues).map(async (queue) => {
        await queue.obliterate({ force: true }).catch(() => undefined);
      }),
    );
    await deps.close();
    await database.drop();
  };
  return { deps, url: api.url, databaseUrl: database.url, queuePrefix, env, gql: api.gql, close };
};

export type TApiInstance = { url: string; gql: TTestStack["gql"]; close: () => Promise<void> };

/** The API on `deps`, listening on a free port, with a GraphQL helper (the admin key by default). */
const listen = async (deps: TDeps): Promise<TApiInstance> => {
  const { app, stop } = await createServerApp(deps);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gql: TTestStack["gql"] = async (query, variables = {}, token = ADMIN_TOKEN) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stop();
  };
  return { url, gql, close };
};

/**
 * Another API process of the same stack (its own connections, caches, subscriptions and in-memory
 * models: what a second process behind the load balancer has), on the stack's database and Redis prefix.
 */
export const startApiInstance = async (stack: TTestStack): Promise<TApiInstance> => {
  const deps = createDeps(readEnv(stack.env));
  const api = await listen(deps);
  return {
    ...api,
    close: async () => {
      await api.close();
      await deps.close();
    },
  };
};
