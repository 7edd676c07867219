import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let catalogId: string;
let eventsVersionId: string;

const CREATE_RULE = `mutation($datasetId: ID!, $input: QualityRuleInput!) {
  createQualityRule(datasetId: $datasetId, input: $input) { id name } }`;
const SUGGEST = `query($v: ID!) { suggestedQualityRules(versionId: $v) { name type params severity reason } }`;
const ACCEPT = `mutation($v: ID!, $names: [String!]!) { acceptSuggestedQualityRules(versionId: $v, names: $names) { name type } }`;

type TSuggestion = { name: string; type: string; params: Record<string, unknown>; severity: string };

const profiled = (versionId: string) =>
  waitFor(
    async () => {
      const row = await stack.deps.db.datasetVersion.findUnique({ where: { id: versionId } });
      return row?.profile ? row : undefined;
    },
    { timeoutMs: 60_000, what: "the profile" },
  );

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality"]);
  const dir = await mkdtemp(path.join(tmpdir(), "dam-suggest-"));
  const categories = ["toys", "garden", "books"];
  const products = ["item_id,title,category,price"];
  for (let i = 0; i < 60; i++)
    products.push(`P${i},Item ${i},${categories[i % 3]},${(5 + (i % 7)).toFixed(2)}`);
  await writeFile(path.join(dir, "products.csv"), products.join("\n"));
  const events = ["user_id,item_id,event_type,timestamp"];
  for (let i = 0; i < 80; i++) {
    events.push(
      `U${i % 9},P${i % 60},${["view", "cart", "purchase"][i % 3]},2026-01-0${1 + (i % 9)}T10:00:00Z`,
    );
  }
  await writeFile(path.join(dir, "events.csv"), events.join("\n"));
  const catalog = await importAndWait(stack, {
    name: "sg_products",
    kind: "CATALOG",
    source: { paths: [path.join(dir, "products.csv")], format: "csv", roles: {}, types: {} },
  });
  catalogId = catalog.dataset.id;
  await profiled(catalog.version.id);
  const eventsImport = await importAndWait(stack, {
    name: "sg_events",
    kind: "EVENTS",
    source: { paths: [path.join(dir, "events.csv")], format: "csv", roles: {}, types: {} },
  });
  eventsVersionId = eventsImport.version.id;
  await profiled(eventsVersionId);
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("quality rules", () => {
  it("are refused on a column the dataset lacks, naming it", async () => {
    const refused = await stack.gql(CREATE_RULE, {
      datasetId: catalogId,
      input: { name: "title present", type: "not_null", params: { column: "titel" } },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]?.message).toMatch(/params\.column: "titel" is not a column of sg_products v1/);
    const groupBy = await stack.gql(CREATE_RULE, {
      datasetId: catalogId,
      input: { name: "o", type: "outlier", params: { column: "price", groupBy: "cat", maxRatio: 5 } },
    });
    expect(groupBy.errors?.[0]?.message).toMatch(/params\.groupBy: "cat" is not a column/);
    const unique = await stack.gql(CREATE_RULE, {
      datasetId: catalogId,
      input: { name: "u", type: "unique", params: { columns: ["item_id", "sku"] } },
    });
    expect(unique.errors?.[0]?.message).toMatch(/params\.columns\[1\]: "sku" is not a column/);
  });

  it("are suggested from the profile and accepted by name", async () => {
    const suggested = await stack.gql<{ suggestedQualityRules: TSuggestion[] }>(SUGGEST, {
      v: eventsVersionId,
    });
    expect(suggested.errors).toBeUndefined();
    const byName = new Map((suggested.data?.suggestedQualityRules ?? []).map((rule) => [rule.name, rule]));
    expect(byName.get("item_id not null")).toMatchObject({ type: "not_null", severity: "ERROR" });
    expect(byName.get("event_type allowed values")).toMatchObject({
      type: "allowed_set",
      params: { column: "event_type", values: ["cart", "purchase", "view"] },
      severity: "ERROR",
    });
    expect(byName.get("item_id in sg_products")).toMatchObject({
      type: "ref_integrity",
      params: { column: "item_id", refDatasetId: catalogId, refColumn: "item_id" },
    });

    const accepted = await stack.gql<{ acceptSuggestedQualityRules: { name: string }[] }>(ACCEPT, {
      v: eventsVersionId,
      names: ["item_id not null", "item_id in sg_products"],
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptSuggestedQualityRules.map((rule) => rule.name)).toEqual([
      "item_id not null",
      "item_id in sg_products",
    ]);
    const again = await stack.gql<{ suggestedQualityRules: TSuggestion[] }>(SUGGEST, { v: eventsVersionId });
    const names = (again.data?.suggestedQualityRules ?? []).map((rule) => rule.name);
    expect(names).not.toContain("item_id not null");
    expect(names).toContain("event_type allowed values");

    const unknown = await stack.gql(ACCEPT, { v: eventsVersionId, names: ["item_id not null"] });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(unknown.errors?.[0]?.message).toMatch(
      /names\[0\]: "item_id not null" is not a current suggestion/,
    );
  });

  it("suggests a unique id, a non-negative price and per-category outliers on a catalogue", async () => {
    const version = await stack.deps.db.datasetVersion.findFirstOrThrow({ where: { datasetId: catalogId } });
    const suggested = await stack.gql<{ suggestedQualityRules: TSuggestion[] }>(SUGGEST, { v: version.id });
    const types = Object.fromEntries(
      (suggested.data?.suggestedQualityRules ?? []).map((rule) => [rule.name, rule.type]),
    );
    expect(types).toMatchObject({
      "item_id unique": "unique",
      "price positive": "range",
      "price outliers by category": "outlier",
      "category allowed values": "allowed_set",
    });
  });
});
