import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Role } from "@dam/db/client";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import {
  collectIds,
  fuzzValue,
  loadSchema,
  operationsOf,
  requestOf,
  seededRandom,
} from "./helpers/schema-cases.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";

// A seeded, schema-driven fuzz test: random calls of every query and mutation, as every role, with
// edge values for every scalar, enum, list and input type (schema-cases.ts). Whatever a client sends,
// the answer is data or a client error, never INTERNAL_SERVER_ERROR, and /healthz stays 200.
// DAM_FUZZ_CASES and DAM_FUZZ_SEED reproduce or extend a run (a failure prints its seed and case).

const CASES = Number(process.env.DAM_FUZZ_CASES ?? 2_000);
const SEED = Number(process.env.DAM_FUZZ_SEED ?? 20_261_203);
const HEALTH_EVERY = 100;
const ROLES: Role[] = ["ADMIN", "STEWARD", "VIEWER", "LABELLER", "CLIENT"];

type TFailure = { index: number; operation: string; role: Role; variables: string; message: string };

let stack: TTestStack;
const keys = new Map<Role, string>();
const seededIds = new Set<string>();
beforeAll(async () => {
  stack = await startTestStack();
  // Real rows to aim at: a small demo catalogue and its events, loaded through the real ingest path.
  // The worker stops afterwards, so jobs the fuzz queues stay queued (no background load).
  const dir = await mkdtemp(path.join(tmpdir(), "dam-fuzz-"));
  const shop = await writeDemoShop(path.join(dir, "shop"), { seed: 5, products: 200, events: 3_000 });
  const workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  try {
    for (const [name, kind, file] of [
      ["fuzz_products", "CATALOG", shop.files.products],
      ["fuzz_events", "EVENTS", shop.files.events],
    ] as const) {
      const { dataset, version } = await importAndWait(stack, {
        name,
        kind,
        source: { paths: [file], format: "csv", roles: {}, types: {} },
      });
      seededIds.add(dataset.id);
      seededIds.add(version.id);
    }
  } finally {
    await workers.stop();
  }
  for (const role of ROLES) {
    const created = await stack.gql<{ createApiKey: { key: string } }>(
      `mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { key } }`,
      { name: `fuzz ${role}`, role },
    );
    keys.set(role, created.data!.createApiKey.key);
  }
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const shorten = (value: unknown): string => {
  const text = JSON.stringify(value, (_key, inner) =>
    typeof inner === "string" && inner.length > 40 ? `${inner.slice(0, 40)}…(${inner.length})` : inner,
  );
  return text && text.length > 300 ? `${text.slice(0, 300)}…` : String(text);
};

describe("schema-driven fuzz", () => {
  it(`answers ${CASES} random calls (seed ${SEED}) without INTERNAL_SERVER_ERROR, healthy throughout`, async () => {
    const schema = loadSchema();
    // _noop has no arguments and no resolver worth calling; everything else is in.
    const operations = operationsOf(schema).filter((operation) => operation.field.name !== "_noop");
    const random = seededRandom(SEED);
    const ids = new Set<string>(seededIds);
    const failures: TFailure[] = [];
    const codes = new Map<string, number>();
    const unhealthy: number[] = [];
    for (let index = 0; index < CASES; index++) {
      // Every operation equally often, in a seeded order; roles in turn.
      const operation = operations[Math.floor(random() * operations.length)]!;
      const role = ROLES[index % ROLES.length]!;
      // Half the cases well-formed but for the odd value, half hostile throughout.
      const ctx = { random, ids: [...ids].slice(-300), hostility: index % 2 === 0 ? 0.05 : 0.6 };
      const variables: Record<string, unknown> = {};
      for (const arg of operation.field.args) {
        const value = fuzzValue(arg.type, ctx);
        if (value !== undefined) variables[arg.name] = value;
      }
      const result = await stack.gql(requestOf(operation, operation.field.args), variables, keys.get(role));
      const code = String(result.errors?.[0]?.extensions?.code ?? "OK");
      if (process.env.DAM_FUZZ_VERBOSE && ctx.hostility < 0.5) {
        console.info(
          `${index} ${operation.coordinate} ${role} ${code} ${result.errors?.[0]?.message?.slice(0, 160) ?? ""}`,
        );
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
      for (const error of result.errors ?? []) {
        if (error.extensions?.code === "INTERNAL_SERVER_ERROR" || result.status >= 500) {
          failures.push({
            index,
            operation: operation.coordinate,
            role,
            variables: shorten(variables),
            message: error.message,
          });
        }
      }
      if (result.data) collectIds(result.data, ids);
      if (index % HEALTH_EVERY === HEALTH_EVERY - 1) {
        const health = await fetch(`${stack.url}/healthz`);
        if (health.status !== 200) unhealthy.push(index);
      }
    }
    const summary = [...codes.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code}=${n}`);
    const byOperation = new Map<string, number>();
    for (const failure of failures)
      byOperation.set(failure.operation, (byOperation.get(failure.operation) ?? 0) + 1);
    console.info(
      `fuzz seed ${SEED}: ${CASES} cases, ${ids.size} ids seen; outcomes ${summary.join(" ")}; ` +
        `${failures.length} INTERNAL_SERVER_ERROR (${[...byOperation].map(([op, n]) => `${op}=${n}`).join(" ")}); ` +
        `/healthz not 200 after cases ${JSON.stringify(unhealthy)}`,
    );
    expect(failures, JSON.stringify(failures.slice(0, 20), null, 1)).toEqual([]);
    expect(unhealthy).toEqual([]);
  }, 900_000);
});
