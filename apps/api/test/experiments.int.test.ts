// Experiments end to end on a generated demo shop: create, start, route recommend traffic by the
// stateless hash (the same variant in a second API instance and after a restart), log exposures,
// attribute tracked events, read results, detect a sample-ratio mismatch, promote the winner (audited).

import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { assignVariant } from "@dam/experiments/assignment";
import { binarizeCsr, csrRow } from "@dam/recsys/csr-matrix";
import { fitAls } from "@dam/recsys/implicit-als";
import { buildInteractionLog, matrixFromLog, type TInteractionLog } from "@dam/recsys/interaction-log";
import { fitItemKnn } from "@dam/recsys/item-knn";
import { encodeModelArtifact, type TModelArtifact } from "@dam/recsys/model-artifact";
import { fitPopularity } from "@dam/recsys/popularity";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentRouterOf } from "../src/modules/experiments/experiment-router.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import type { TModelInputs } from "../src/modules/models/model-inputs.ts";
import { publishActiveModel } from "../src/modules/serving/active-model-channel.ts";
import { importAndWait, importShopCatalog } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startApiInstance, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const SHOP = { seed: 17, products: 250, users: 400, events: 20_000, days: 30 };
const ALS_ID = "00000000-0000-4000-8000-0000000e0a15";
const KNN_ID = "00000000-0000-4000-8000-0000000e0c01";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let log: TInteractionLog;

type TRecs = {
  recommendationId: string;
  experiment: { id: string; variant: string } | null;
  items: { itemId: string; price: number | null }[];
  model: { id: string };
};
const RECOMMEND = `query($userId: String!) { recommend(userId: $userId, first: 5) {
  recommendationId experiment { id variant } items { itemId price } model { id } } }`;

/** Another API instance on the same database and Redis prefix: its own pools, model store and router. */
const recommendAt = async (url: string, userId: string): Promise<TRecs> => {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: RECOMMEND, variables: { userId } }),
  });
  const body = (await response.json()) as { data?: { recommend: TRecs }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!.recommend;
};

const writeModel = async (
  id: string,
  artifact: TModelArtifact,
  version: number,
  status: "ACTIVE" | "READY",
  inputs: TModelInputs,
) => {
  const location = path.join(dir, "artifacts", "models", `${id}.damm`);
  await mkdir(path.dirname(location), { recursive: true });
  await writeFile(location, encodeModelArtifact(artifact));
  await stack.deps.db.modelVersion.create({
    data: {
      id,
      name: "shop",
      version,
      status,
      algorithm: artifact.algorithm,
      params: artifact.params as object,
      inputs,
      location,
      metrics: { test: { "ndcg@10": version === 1 ? 0.3 : 0.2 } },
      promotedAt: status === "ACTIVE" ? new Date() : null,
    },
  });
};

const alsArtifact = (): TModelArtifact => {
  const train = binarizeCsr(matrixFromLog(log));
  const params = { factors: 8, regularization: 0.1, alpha: 10, iterations: 5 };
  const als = fitAls(train, params, 3);
  return {
    algorithm: "ALS",
    itemIds: log.itemIds,
    userIds: log.userIds,
    popularity: fitPopularity(train).counts,
    factors: { dim: 8, user: Float32Array.from(als.userFactors), item: Float32Array.from(als.itemFactors) },
    params: { ...params, lambda: params.regularization },
  };
};

const knnArtifact = (): TModelArtifact => {
  const train = binarizeCsr(matrixFromLog(log));
  const k = 10;
  const knn = fitItemKnn(train, { k, shrink: 10 });
  const n = log.itemIds.length;
  const index = new Int32Array(n * k).fill(-1);
  const weight = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = csrRow(knn.neighbours, i);
    row.indices.forEach((j, t) => {
      index[i * k + t] = j;
      weight[i * k + t] = row.values[t]!;
    });
  }
  return {
    algorithm: "ITEMKNN",
    itemIds: log.itemIds,
    userIds: log.userIds,
    popularity: fitPopularity(train).counts,
    neighbours: { k, index, weight },
    params: { k, shrink: 10 },
  };
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-experiments-"));
  stack = await startTestStack({ ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  const { files } = await writeDemoShop(path.join(dir, "shop"), SHOP);
  const catalog = await importShopCatalog(stack, files.products);
  const events = await importAndWait(stack, {
    name: "shop_events",
    kind: "EVENTS",
    source: {
      paths: [files.events],
      format: "csv",
      roles: { user_id: "userId", item_id: "itemId", event_type: "eventType", timestamp: "timestamp" },
      types: {},
    },
  });
  const products: { item_id: string }[] = parse(readFileSync(files.products), { columns: true });
  const known = new Set(products.map((p) => p.item_id));
  const rows: { user_id: string; item_id: string }[] = parse(readFileSync(files.events), { columns: true });
  log = buildInteractionLog(
    rows
      .filter((r) => r.user_id && known.has(r.item_id))
      .map((r) => ({ user: r.user_id, item: r.item_id, weight: 1 })),
  );
  const inputs = {
    eventsVersionId: events.version.id,
    catalogVersionId: catalog.version.id,
    featureSetId: null,
    segmentSetId: null,
  };
  await writeModel(ALS_ID, alsArtifact(), 1, "ACTIVE", inputs);
  await writeModel(KNN_ID, knnArtifact(), 2, "READY", inputs);
  await publishActiveModel(stack.deps.redis, stack.queuePrefix, { name: "shop", modelVersionId: ALS_ID });
  await waitFor(
    async () => {
      const result = await stack.gql<{ servingModels: { id: string }[] }>("{ servingModels { id } }");
      return result.data?.servingModels.length ? true : undefined;
    },
    { what: "the ACTIVE model to be served" },
  );
}, 240_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) {
  id salt status variants { key modelVersionId share isControl modelVersion } } }`;
const RESULTS = `query($id: ID!) { experimentResults(id: $id) {
  verdict winner summary sampleRatio { chiSquare pValue mismatch }
  traffic { variant users exposures attributedEvents }
  values { variant metric value low high }
  comparisons { variant metric difference pValue sequentialPValue adjustedPValue significant lift }
  timeline { day values { variant metric value } }
} }`;

type TResults = {
  verdict: string;
  winner: string | null;
  summary: string;
  sampleRatio: { chiSquare: number; pValue: number; mismatch: boolean };
  traffic: { variant: string; users: number; exposures: number; attributedEvents: number }[];
  values: { variant: string; metric: string; value: number; low: number; high: number }[];
  comparisons: { variant: string; metric: string; pValue: number }[];
  timeline: { day: string }[];
};

describe("online experiments", () => {
  let experimentId = "";
  let salt = "";
  const users = Array.from({ length: 600 }, (_, i) => `exp-user-${i}`);
  const answers = new Map<string, TRecs>();

  it("refuses a plan whose shares do not sum to one, or without exactly one control", async () => {
    const base = { name: "bad", modelName: "shop", primaryMetric: "CONVERSION" };
    const shares = await stack.gql(CREATE, {
      input: {
        ...base,
        variants: [
          { key: "control", modelVersionId: ALS_ID, share: 0.5, isControl: true },
          { key: "treatment", modelVersionId: KNN_ID, share: 0.4 },
        ],
      },
    });
    expect(shares.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(shares.errors?.[0]?.message).toMatch(/sum to 0.9/);
    const controls = await stack.gql(CREATE, {
      input: {
        ...base,
        variants: [
          { key: "a", modelVersionId: ALS_ID, share: 0.5 },
          { key: "b", modelVersionId: KNN_ID, share: 0.5 },
        ],
      },
    });
    expect(controls.errors?.[0]?.message).toMatch(/exactly one variant must be the control/);
  });

  it("creates and starts an experiment; recommend answers with the user's variant and its model", async () => {
    const created = await stack.gql<{ createExperiment: { id: string; salt: string; status: string } }>(
      CREATE,
      {
        input: {
          name: "als-vs-knn",
          modelName: "shop",
          primaryMetric: "CONVERSION",
          guardrailMetrics: ["REVENUE_PER_USER", "CLICK_THROUGH"],
          attributionWindowMinutes: 60,
          plannedUsersPerVariant: 300,
          variants: [
            { key: "control", modelVersionId: ALS_ID, share: 0.5, isControl: true },
            { key: "treatment", modelVersionId: KNN_ID, share: 0.5 },
          ],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createExperiment.status).toBe("DRAFT");
    experimentId = created.data!.createExperiment.id;
    salt = created.data!.createExperiment.salt;
    const started = await stack.gql<{ startExperiment: { status: string } }>(
      "mutation($id: ID!) { startExperiment(id: $id) { status } }",
      { id: experimentId },
    );
    expect(started.data?.startExperiment.status).toBe("RUNNING");
    const plan = { salt, shares: [0.5, 0.5] };
    for (const userId of users) {
      const answer = await recommendAt(stack.url, userId);
      const expected = assignVariant(plan, userId) === 0 ? "control" : "treatment";
      expect(answer.experiment).toEqual({ id: experimentId, variant: expected });
      expect(answer.model.id).toBe(expected === "control" ? ALS_ID : KNN_ID);
      answers.set(userId, answer);
    }
    // Every answer's exposure is stored once, with the items in the order shown.
    await experimentRouterOf(stack.deps).exposures.flush();
    expect(await stack.deps.db.exposure.count({ where: { experimentId } })).toBe(users.length);
    const first = answers.get(users[0]!)!;
    expect(
      await stack.deps.db.exposure.findUnique({ where: { recommendationId: first.recommendationId } }),
    ).toMatchObject({
      experimentId,
      userId: users[0],
      modelVersionId: first.model.id,
      itemIds: first.items.map((item) => item.itemId),
    });
  });

  it("gives every user the same variant in a second API instance and after a restart", async () => {
    const second = await startApiInstance(stack);
    try {
      await waitFor(async () => ((await recommendAt(second.url, users[0]!)).experiment ? true : undefined), {
        what: "the second instance to load the experiment's models",
      });
      for (const userId of users.slice(0, 150)) {
        expect((await recommendAt(second.url, userId)).experiment?.variant).toBe(
          answers.get(userId)!.experiment?.variant,
        );
      }
    } finally {
      await second.close();
    }
    const restarted = await startApiInstance(stack);
    try {
      for (const userId of users.slice(150, 300)) {
        expect((await recommendAt(restarted.url, userId)).experiment?.variant).toBe(
          answers.get(userId)!.experiment?.variant,
        );
      }
    } finally {
      await restarted.close();
    }
  });

  it("credits events by recommendationId and, without it, on a shown item within the window", async () => {
    const buyers = users.slice(0, 40);
    const withId = buyers.map((userId) => {
      const answer = answers.get(userId)!;
      return {
        userId,
        itemId: answer.items[0]!.itemId,
        type: "purchase",
        recommendationId: answer.recommendationId,
        value: 25,
      };
    });
    const clickers = users
      .slice(40, 80)
      .map((userId) => ({ userId, itemId: answers.get(userId)!.items[1]!.itemId, type: "click" }));
    const unrelated = users
      .slice(80, 90)
      .map((userId) => ({ userId, itemId: "not-shown-item", type: "click" }));
    const result = await stack.gql<{ trackEvents: { accepted: number; attributed: number } }>(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted attributed } }",
      { events: [...withId, ...clickers, ...unrelated] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackEvents).toEqual({ accepted: 90, attributed: 80 });
    const bad = await stack.gql<{ trackEvents: { errors: { field: string }[] } }>(
      "mutation($events: [TrackEventInput!]!) { trackEvents(events: $events) { errors { field } } }",
      { events: [{ userId: "x", itemId: "y", type: "click", recommendationId: "nope" }] },
    );
    // Refused at the edge (ID arguments are checked there) or per event; either way it names the field.
    const refusal = bad.data?.trackEvents.errors ?? bad.errors;
    expect(refusal?.length).toBeGreaterThan(0);
    expect(JSON.stringify(refusal)).toMatch(/recommendationId/);
  });

  it("reads results: traffic, per-variant values with intervals, tests and a daily timeline", async () => {
    await experimentRouterOf(stack.deps).exposures.flush();
    const result = await stack.gql<{ experimentResults: TResults }>(RESULTS, { id: experimentId });
    expect(result.errors).toBeUndefined();
    const r = result.data!.experimentResults;
    expect(r.traffic.reduce((sum, t) => sum + t.users, 0)).toBe(users.length);
    // Every recommend of the test counted once (the other instances flushed on close).
    expect(r.traffic.reduce((sum, t) => sum + t.exposures, 0)).toBe(users.length + 300 + 1);
    expect(r.traffic.reduce((sum, t) => sum + t.attributedEvents, 0)).toBe(80);
    expect(r.sampleRatio.mismatch).toBe(false);
    const conversion = r.values.filter((v) => v.metric === "CONVERSION");
    expect(
      conversion.reduce((sum, v) => sum + v.value * r.traffic.find((t) => t.variant === v.variant)!.users, 0),
    ).toBeCloseTo(40, 6);
    for (const v of r.values) {
      expect(v.low).toBeLessThanOrEqual(v.value);
      expect(v.high).toBeGreaterThanOrEqual(v.value);
    }
    expect(r.comparisons.map((c) => c.metric).sort()).toEqual([
      "CLICK_THROUGH",
      "CONVERSION",
      "REVENUE_PER_USER",
    ]);
    expect(r.timeline.length).toBeGreaterThanOrEqual(1);
    expect(r.summary.length).toBeGreaterThan(20);
  });

  it("raises a sample-ratio mismatch when half of a variant's exposures are dropped", async () => {
    await stack.deps.pool.query(
      `DELETE FROM "Exposure" WHERE "experimentId" = $1 AND "variantPosition" = 1
         AND "userId" IN (SELECT DISTINCT "userId" FROM "Exposure" WHERE "experimentId" = $1 AND "variantPosition" = 1
                          ORDER BY "userId" LIMIT 150)`,
      [experimentId],
    );
    const result = await stack.gql<{ experimentResults: TResults }>(RESULTS, { id: experimentId });
    const r = result.data!.experimentResults;
    expect(r.sampleRatio.mismatch).toBe(true);
    expect(r.verdict).toBe("SRM");
    expect(r.summary).toMatch(/Sample ratio mismatch/);
  });

  it("promotes a chosen variant: experiment stopped, model ACTIVE, both audited; recommend leaves the experiment", async () => {
    const promoted = await stack.gql<{
      promoteExperimentWinner: { status: string; winnerVariantKey: string };
    }>(
      'mutation($id: ID!) { promoteExperimentWinner(id: $id, variant: "treatment") { status winnerVariantKey } }',
      { id: experimentId },
    );
    expect(promoted.errors).toBeUndefined();
    expect(promoted.data!.promoteExperimentWinner).toEqual({
      status: "STOPPED",
      winnerVariantKey: "treatment",
    });
    const model = await stack.deps.db.modelVersion.findUniqueOrThrow({ where: { id: KNN_ID } });
    expect(model.status).toBe("ACTIVE");
    const audit = await stack.deps.db.auditEvent.findMany({
      where: { targetId: { in: [experimentId, KNN_ID] } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(
      [
        "experiments.create",
        "experiments.promote",
        "experiments.start",
        "experiments.stop",
        "models.promote",
      ].sort(),
    );
    const after = await waitFor(
      async () => {
        const answer = await recommendAt(stack.url, users[0]!);
        return answer.model.id === KNN_ID ? answer : undefined;
      },
      { what: "the promoted model to answer" },
    );
    expect(after.experiment).toBeNull();
  });
});
