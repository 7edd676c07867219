import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TDeps } from "../../deps.ts";
import type { TJobDefinition, TReadyHook } from "./job-definition.ts";
import { WORKER_REGISTRY } from "./worker-registry.ts";
import { giveUpUnstartedJob, runReadyHooks } from "./worker-runtime.ts";

const MODULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const isDefinition = (value: unknown): value is TJobDefinition<unknown> =>
  typeof value === "object" &&
  value !== null &&
  "queue" in value &&
  "name" in value &&
  "jobId" in value &&
  "payload" in value;

/** Every job definition exported by an area's `*.jobs.ts`, found on disk so a new one cannot hide. */
const declaredDefinitions = async () => {
  const found: { file: string; definition: TJobDefinition<unknown> }[] = [];
  for (const area of readdirSync(MODULES_DIR)) {
    const dir = path.join(MODULES_DIR, area);
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".jobs.ts"))) {
      const exported: Record<string, unknown> = await import(path.join(dir, file));
      for (const value of Object.values(exported)) {
        if (isDefinition(value)) found.push({ file: `${area}/${file}`, definition: value });
      }
    }
  }
  return found;
};

describe("the worker registry", () => {
  it("has exactly one handler for every job definition, and none for an undeclared job", async () => {
    const declared = await declaredDefinitions();
    expect(declared.length).toBeGreaterThanOrEqual(18);
    const keyOf = (definition: { queue: string; name: string }) => `${definition.queue}/${definition.name}`;
    const handled = WORKER_REGISTRY.handlers.map((handler) => keyOf(handler.definition));
    expect(new Set(handled).size).toBe(handled.length);
    for (const { file, definition } of declared) {
      const handlers = WORKER_REGISTRY.handlers.filter((handler) => handler.definition === definition);
      expect(handlers, `${file}: ${keyOf(definition)}`).toHaveLength(1);
    }
    expect(handled.sort()).toEqual(declared.map(({ definition }) => keyOf(definition)).sort());
  });

  it("runs the READY hooks in the declared order, key indexes before the quality run", async () => {
    expect(WORKER_REGISTRY.readyHooks.map((hook) => hook.name)).toEqual([
      "quality.keys",
      "profile.version",
      "privacy.classify",
      "quality.run",
      "search.index",
      "features.extend",
    ]);
    const calls: string[] = [];
    const hooks: TReadyHook[] = ["a", "b", "c"].map((name) => ({
      name,
      run: async (_deps, versionId) => {
        await new Promise((resolve) => setTimeout(resolve, name === "a" ? 5 : 0));
        calls.push(`${name}:${versionId}`);
      },
    }));
    await runReadyHooks({} as TDeps, hooks, "v1");
    expect(calls).toEqual(["a:v1", "b:v1", "c:v1"]);
  });

  it("undoes a job cancelled before it started through its handler's onGiveUp, if it has one", async () => {
    const undone: unknown[] = [];
    const definition = WORKER_REGISTRY.handlers[0]!.definition;
    const handlers = [
      {
        definition,
        handle: async () => ({}),
        onGiveUp: async (payload: unknown) => {
          undone.push(payload);
        },
      },
    ];
    const { queue, name } = definition;
    await giveUpUnstartedJob({} as TDeps, handlers, { queue, name, input: { versionId: "v1" } });
    await giveUpUnstartedJob({} as TDeps, handlers, { queue, name: "no.such.job", input: {} });
    expect(undone).toEqual([{ versionId: "v1" }]);
  });
});
