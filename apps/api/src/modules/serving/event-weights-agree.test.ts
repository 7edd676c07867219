// One event-weight table: training, serving and shopper profiles must read @dam/vocabulary's, and a
// model's own (overridden) weights must reach serving. Fails if an area gets a table of its own back.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EVENT_TYPES } from "@dam/vocabulary/event-types";
import { DEFAULT_EVENT_WEIGHTS, eventWeightOf } from "@dam/vocabulary/event-weights";
import { describe, expect, it } from "vitest";
import { ZTrainingOptions } from "../models/model-params.ts";
import { ZProfileParams } from "../shopper-profiles/profile-params.ts";
import { servingEventWeights } from "./serving-model.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });

describe("event weights", () => {
  it("training and profiles default to the vocabulary's table", () => {
    expect(ZTrainingOptions.parse({}).eventWeights).toStrictEqual(DEFAULT_EVENT_WEIGHTS);
    expect(ZProfileParams.parse({}).eventWeights).toStrictEqual(DEFAULT_EVENT_WEIGHTS);
  });

  it("serving folds in with the weights the served model was trained with", () => {
    const trained = ZTrainingOptions.parse({});
    const defaults = servingEventWeights({ eventWeights: trained.eventWeights });
    const overridden = ZTrainingOptions.parse({ eventWeights: { purchase: 9, view: 0 } });
    const custom = servingEventWeights({ eventWeights: overridden.eventWeights });
    for (const type of EVENT_TYPES) {
      expect(eventWeightOf(defaults, type)).toBe(eventWeightOf(DEFAULT_EVENT_WEIGHTS, type));
      expect(eventWeightOf(custom, type)).toBe(eventWeightOf(overridden.eventWeights, type));
    }
    expect(eventWeightOf(custom, "purchase")).toBe(9);
    // A model trained before weights were recorded was trained with the default table.
    expect(servingEventWeights({})).toBe(DEFAULT_EVENT_WEIGHTS);
  });

  it("no source file outside the vocabulary package writes down an event weight table", () => {
    const roots = ["apps/api/src", "apps/web", "packages"].map((root) => path.join(REPO, root));
    const owner = path.join(REPO, "packages/vocabulary/src/event-weights.ts");
    const offenders = roots
      .flatMap(sourceFiles)
      .filter((file) => file !== owner && !file.includes(`${path.sep}demo-shop${path.sep}`))
      .filter((file) => /\b(purchase|cart)\s*:\s*\d/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
