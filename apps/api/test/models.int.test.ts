import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRng } from "@dam/recsys/prng";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import {
  modelArtifactPath,
  modelsDir,
  readModelArtifact,
} from "../src/modules/models/model-artifact-store.ts";
import {
  subscribeActiveModel,
  type TActiveModelAnnouncement,
} from "../src/modules/serving/active-model-channel.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// A generated shop with planted taste: 4 groups of 10 items, each of 120 users browses 9 items of their
// own group (views, some carts and purchases) over 9 days, so a personalised model must beat popularity.
const DAY = 86_400;
const writeEvents = async (file: string) => {
  const rng = createRng(11);
  const lines = ["event_id,user_id,item_id,event_type,timestamp"];
  let id = 0;
  for (let u = 0; u < 120; u++) {
    const group = u % 4;
    const items = Array.from({ length: 10 }, (_, i) => group * 10 + i).sort(() => rng() - 0.5);
    items.slice(0, 9).forEach((item, n) => {
      const at = 1_700_000_000 + n * DAY + u * 60;
      const types = rng() < 0.3 ? ["view", "cart", "purchase"] : ["view"];
      for (const type of types) {
        lines.push(`e${id++},u${u},i${item},${type},${new Date(at * 1000).toISOString()}`);
      }
    });
  }
  await writeFile(file, `${lines.join("\n")}\n`);
};

const ROLES = {
  event_id: "eventId",
  user_id: "userId",
  item_id: "itemId",
  event_type: "eventType",
  timestamp: "timestamp",
};

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let eventsVersionId: string;
let eventsFile: string;

const MODEL_FIELDS = `id name version algorithm status params selectedParams protocol protocolDetail trainSeconds location
  metrics { recall ndcg mrr hit precision coverage users } validationMetrics { ndcg users }
  curves { epoch loss validationNdcg } data { users items interactions events trainInteractions validationInteractions testInteractions }
  inputs { role id label } job { id status progress } promotedAt`;

type TModel = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  status: string;
  params: Record<string, unknown>;
  selectedParams: Record<string, number> | null;
  protocol: string;
  protocolDetail: string | null;
  trainSeconds: number | null;
  location: string | null;
  metrics: Record<string, number> | null;
  validationMetrics: { ndcg: number; users: number } | null;
  curves: { epoch: number; loss: number; validationNdcg: number | null }[];
  data: {
    users: number;
    items: number;
    interactions: number;
    events: number;
    trainInteractions: number;
    validationInteractions: number;
    testInteractions: number;
  } | null;
  inputs: { role: string; id: string; label: string | null }[];
  job: { id: string; status: string; progress: number } | null;
  promotedAt: string | null;
};

const readModel = async (id: string): Promise<TModel> => {
  const result = await stack.gql<{ modelVersion: TModel }>(
    `query($id: ID!) { modelVersion(id: $id) { ${MODEL_FIELDS} } }`,
    { id },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.modelVersion;
};

const requestTraining = (input: Record<string, unknown>) =>
  stack.gql<{ trainModel: { id: string; name: string; queue: string; inputIds: string[] } }>(
    "mutation($input: TrainModelInput!) { trainModel(input: $input) { id name queue inputIds } }",
    { input },
  );

const waitForJob = (jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 90_000 },
  );

/** Trains through the API and waits for the job; returns the job row and the version as ended. */
const train = async (input: Record<string, unknown>) => {
  const started = await requestTraining({ eventsVersionId, ...input });
  expect(started.errors).toBeUndefined();
  const job = started.data!.trainModel;
  expect([job.name, job.queue]).toEqual(["models.train", "training"]);
  const finished = await waitForJob(job.id, `training of ${JSON.stringify(input)}`);
  return { job: finished, model: await readModel(job.inputIds[0]!) };
};

const PROMOTE = `mutation($id: ID!, $force: Boolean) { promoteModel(id: $id, force: $force) { id status promotedAt } }`;
const ROLLBACK = `mutation($name: String!) { rollbackModel(name: $name) { id status version } }`;

const auditOf = (action: string) =>
  stack.deps.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-models-"));
  stack = await startTestStack({ ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "training"]);
  eventsFile = path.join(dir, "events.csv");
  await writeEvents(eventsFile);
  const { version, job } = await importAndWait(stack, {
    name: "shop_events",
    kind: "EVENTS",
    source: { paths: [eventsFile], format: "csv", roles: ROLES, types: {} },
  });
  expect(job.status).toBe("COMPLETED");
  eventsVersionId = version.id;
});

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("training and the model registry", () => {
  let pop: TModel;
  let als: TModel;

  it("trains POP and ALS: metrics, curves for the iterative one, lineage and a decodable artifact", async () => {
    const popRun = await train({ name: "shop", algorithm: "POP", protocol: "RANDOM_8_1_1" });
    expect(popRun.job.error).toBeNull();
    expect(popRun.job.status).toBe("COMPLETED");
    pop = popRun.model;
    const alsRun = await train({
      name: "shop",
      algorithm: "ALS",
      protocol: "RANDOM_8_1_1",
      params: { factors: 8, iterations: 6, regularization: 0.1, alpha: 5 },
    });
    expect(alsRun.job.error).toBeNull();
    als = alsRun.model;

    expect([pop.version, als.version]).toEqual([1, 2]);
    for (const model of [pop, als]) {
      expect(model.status).toBe("READY");
      expect(model.protocol).toBe("RANDOM_8_1_1");
      expect(model.protocolDetail).toBe("recbole-rs-8-1-1-full");
      expect(model.trainSeconds).toBeGreaterThanOrEqual(0);
      expect(model.metrics!.users).toBe(120);
      for (const name of ["recall", "ndcg", "mrr", "hit", "precision", "coverage"]) {
        expect(model.metrics![name]).toBeGreaterThanOrEqual(0);
        expect(model.metrics![name]).toBeLessThanOrEqual(1);
      }
      // 120 users x 9 items, events of a pair summed into one interaction.
      expect(model.data).toMatchObject({ users: 120, items: 40, interactions: 1080 });
      expect(model.data!.events).toBeGreaterThan(1080);
      expect(
        model.data!.trainInteractions + model.data!.validationInteractions + model.data!.testInteractions,
      ).toBe(1080);
      expect(model.inputs).toEqual([{ role: "events", id: eventsVersionId, label: "shop_events v1" }]);
      expect(model.job).toMatchObject({ status: "COMPLETED", progress: 100 });
      expect(model.location).toBe(modelArtifactPath(stack.deps.env.ARTIFACTS_DIR, model.id));
    }
    expect(pop.curves).toEqual([]);
    expect(als.curves.map((point) => point.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(als.curves.every((point) => point.loss > 0 && point.validationNdcg !== null)).toBe(true);
    const bestEpoch = als.curves.reduce((a, b) => (b.validationNdcg! > a.validationNdcg! ? b : a)).epoch;
    expect(als.selectedParams).toMatchObject({ factors: 8, iterations: bestEpoch });
    expect(als.validationMetrics!.ndcg).toBeCloseTo(Math.max(...als.curves.map((p) => p.validationNdcg!)), 5);
    // The planted taste groups: ALS finds them, popularity cannot.
    expect(als.metrics!.ndcg!).toBeGreaterThan(pop.metrics!.ndcg! * 1.5);

    const artifact = await readModelArtifact(als.location!);
    expect(artifact.algorithm).toBe("ALS");
    expect(artifact.itemIds).toHaveLength(40);
    expect(artifact.userIds).toHaveLength(120);
    expect(artifact.factors!.dim).toBe(8);
    expect(artifact.factors!.item).toHaveLength(40 * 8);
    expect(artifact.params).toMatchObject({ iterations: bestEpoch, seed: 42 });
    const popArtifact = await readModelArtifact(pop.location!);
    expect(popArtifact.factors).toBeUndefined();
    // Popularity counts distinct users per item over all the data: 1080 interactions in total.
    expect(Array.from(popArtifact.popularity).reduce((a, b) => a + b, 0)).toBe(1080);

    const edge = await stack.deps.db.lineageEdge.findFirstOrThrow({
      where: { relation: "trained_from", to: { type: "MODEL_VERSION", refId: als.id } },
      include: { from: true },
    });
    expect([edge.from.type, edge.from.refId, edge.jobId]).toEqual([
      "DATASET_VERSION",
      eventsVersionId,
      als.job!.id,
    ]);
  });

  it("lists versions by name and compares them side by side", async () => {
    const list = await stack.gql<{
      modelVersions: { totalCount: number; edges: { node: { id: string } }[] };
    }>(`{ modelVersions(name: "shop", first: 1) { totalCount edges { node { id } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data!.modelVersions.totalCount).toBe(2);
    expect(list.data!.modelVersions.edges.map((edge) => edge.node.id)).toEqual([als.id]);

    const compared = await stack.gql<{
      compareModels: {
        bestId: string;
        sameProtocol: boolean;
        versions: { id: string; metrics: { ndcg: number } }[];
      };
    }>(
      "query($ids: [ID!]!) { compareModels(ids: $ids) { bestId sameProtocol versions { id metrics { ndcg } } } }",
      {
        ids: [pop.id, als.id],
      },
    );
    expect(compared.errors).toBeUndefined();
    expect(compared.data!.compareModels).toMatchObject({ bestId: als.id, sameProtocol: true });
    expect(compared.data!.compareModels.versions.map((version) => version.id)).toEqual([pop.id, als.id]);

    const unknown = await stack.gql("query($ids: [ID!]!) { compareModels(ids: $ids) { bestId } }", {
      ids: [pop.id, "00000000-0000-0000-0000-000000000000"],
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("promotes, refuses a worse model unless forced, rolls back; announced and audited", async () => {
    const heard: TActiveModelAnnouncement[] = [];
    const subscription = await subscribeActiveModel(stack.deps.redis, stack.queuePrefix, {
      onMessage: (announcement) => void heard.push(announcement),
    });
    try {
      const first = await stack.gql<{ promoteModel: { status: string } }>(PROMOTE, { id: als.id });
      expect(first.errors).toBeUndefined();
      expect(first.data!.promoteModel.status).toBe("ACTIVE");

      const refused = await stack.gql(PROMOTE, { id: pop.id });
      expect(refused.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
      expect(refused.errors?.[0]?.message).toMatch(
        /shop v1 has test NDCG@10 0\.\d{4}, worse than the active v2/,
      );
      expect((await readModel(als.id)).status).toBe("ACTIVE");
      expect((await readModel(pop.id)).status).toBe("READY");

      const forced = await stack.gql<{ promoteModel: { status: string } }>(PROMOTE, {
        id: pop.id,
        force: true,
      });
      expect(forced.errors).toBeUndefined();
      expect(forced.data!.promoteModel.status).toBe("ACTIVE");
      expect((await readModel(als.id)).status).toBe("READY");

      const promotions = await auditOf("models.promote");
      expect(
        promotions.map((event) => [event.targetId, (event.details as { forced: boolean }).forced]),
      ).toEqual([
        [als.id, false],
        [pop.id, true],
      ]);
      expect(promotions[1]!.details).toMatchObject({ previousActiveId: als.id, overrodeWorse: true });

      const rolled = await stack.gql<{ rollbackModel: { id: string; status: string } }>(ROLLBACK, {
        name: "shop",
      });
      expect(rolled.errors).toBeUndefined();
      expect(rolled.data!.rollbackModel).toMatchObject({ id: als.id, status: "ACTIVE" });
      expect((await readModel(pop.id)).status).toBe("RETIRED");
      const rollbacks = await auditOf("models.rollback");
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0]!.details).toMatchObject({ rolledBackId: pop.id });

      // Nothing was active before ALS's first promotion, so there is nowhere further back to go.
      const again = await stack.gql(ROLLBACK, { name: "shop" });
      expect(again.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
      expect(again.errors?.[0]?.message).toMatch(/no previously active version/);

      await waitFor(async () => (heard.length === 3 ? true : undefined), { what: "three announcements" });
      expect(heard.map((announcement) => announcement.modelVersionId)).toEqual([als.id, pop.id, als.id]);
      expect(heard.every((announcement) => announcement.name === "shop")).toBe(true);
    } finally {
      await subscription.close();
    }
  });

  it("a failed training leaves no artifact and the version FAILED", async () => {
    // Every event type weighted 0: the request is valid, the job finds nothing to learn from.
    const run = await train({
      name: "shop-empty",
      algorithm: "POP",
      protocol: "RANDOM_8_1_1",
      eventWeights: { view: 0, cart: 0, purchase: 0 },
    });
    expect(run.job.status).toBe("FAILED");
    expect(run.job.error).toMatch(/shop_events v1: the events give 0 users and 0 items/);
    expect(run.model).toMatchObject({ status: "FAILED", location: null, metrics: null });
    expect(existsSync(modelArtifactPath(stack.deps.env.ARTIFACTS_DIR, run.model.id))).toBe(false);

    // A chronological protocol needs times; the version has them, so LEAVE_LAST_OUT trains.
    const chrono = await train({ name: "shop-chrono", algorithm: "POP", protocol: "LEAVE_LAST_OUT" });
    expect(chrono.model.status).toBe("READY");
    expect(chrono.model.protocolDetail).toBe("leave-last-out-full");
    expect(chrono.model.data!.testInteractions).toBe(120);
    const mixed = await stack.gql<{ compareModels: { sameProtocol: boolean } }>(
      "query($ids: [ID!]!) { compareModels(ids: $ids) { sameProtocol } }",
      { ids: [pop.id, chrono.model.id, run.model.id] },
    );
    expect(mixed.data!.compareModels.sameProtocol).toBe(false);
  });

  it("with a catalogue version, drops events on items it does not list and records it as an input", async () => {
    const catalogFile = path.join(dir, "catalog.csv");
    // Items i0..i29 only: the 10 items of the last taste group are unknown to this catalogue.
    const rows = Array.from({ length: 30 }, (_, i) => `i${i},Item ${i}`);
    await writeFile(catalogFile, `item_id,title\n${rows.join("\n")}\n`);
    const catalog = await importAndWait(stack, {
      name: "shop_catalog",
      kind: "CATALOG",
      source: {
        paths: [catalogFile],
        format: "csv",
        roles: { item_id: "itemId", title: "title" },
        types: { item_id: "text" },
      },
    });
    expect(catalog.job.status).toBe("COMPLETED");
    const run = await train({ name: "shop-catalog", algorithm: "POP", catalogVersionId: catalog.version.id });
    expect(run.model.status).toBe("READY");
    // The 30 users of the last group lose all their events; the others keep their 9 items each.
    expect(run.model.data).toMatchObject({ users: 90, items: 30, interactions: 810 });
    expect(run.model.inputs).toEqual([
      { role: "events", id: eventsVersionId, label: "shop_events v1" },
      { role: "catalog", id: catalog.version.id, label: "shop_catalog v1" },
    ]);
    const edges = await stack.deps.db.lineageEdge.findMany({
      where: { relation: "trained_from", to: { type: "MODEL_VERSION", refId: run.model.id } },
      include: { from: true },
    });
    expect(edges.map((edge) => edge.from.refId).sort()).toEqual([eventsVersionId, catalog.version.id].sort());
  });

  it("a cancelled training stops at a checkpoint and leaves no artifact", async () => {
    // 512 factors and up to 500 epochs keep it busy long enough to be cancelled mid-way.
    const started = await requestTraining({
      eventsVersionId,
      name: "shop-cancel",
      algorithm: "BPR",
      params: { factors: 512, epochs: 500 },
    });
    expect(started.errors).toBeUndefined();
    const { id: jobId, inputIds } = started.data!.trainModel;
    await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({ where: { id: jobId } });
        return row && row.progress > 3 ? row : undefined;
      },
      { what: "the BPR run to get going", timeoutMs: 60_000 },
    );
    const cancel = await stack.gql("mutation($id: ID!) { cancelJob(id: $id) { id } }", { id: jobId });
    expect(cancel.errors).toBeUndefined();
    const finished = await waitForJob(jobId, "the cancelled run");
    expect(finished.status).toBe("CANCELLED");
    const model = await readModel(inputIds[0]!);
    expect(model).toMatchObject({ status: "FAILED", location: null, metrics: null });
    const left = await readdir(modelsDir(stack.deps.env.ARTIFACTS_DIR));
    expect(left.filter((name) => name.startsWith(inputIds[0]!))).toEqual([]);
  });

  it("refuses bad requests and a version whose quality gate failed until it is overridden", async () => {
    const badAlgorithm = await requestTraining({
      eventsVersionId,
      name: "x",
      algorithm: "EASE",
      params: { k: 3 },
    });
    expect(badAlgorithm.errors?.[0]?.message).toMatch(/params: .*algorithm EASE/);
    const badName = await requestTraining({ eventsVersionId, name: "no spaces", algorithm: "POP" });
    expect(badName.errors?.[0]?.message).toMatch(/^name: /);

    const gated = await importAndWait(stack, {
      name: "gated_events",
      kind: "EVENTS",
      source: { paths: [eventsFile], format: "csv", roles: ROLES, types: {} },
    });
    await waitForJob(
      (await stack.deps.db.job.findFirstOrThrow({ where: { bullId: `quality-run-${gated.version.id}` } })).id,
      "import quality run",
    );
    const rule = await stack.gql(
      `mutation($datasetId: ID!, $input: QualityRuleInput!) { createQualityRule(datasetId: $datasetId, input: $input) { id } }`,
      {
        datasetId: gated.dataset.id,
        input: {
          name: "only views",
          type: "allowed_set",
          params: { column: "event_type", values: ["view"] },
          severity: "ERROR",
        },
      },
    );
    expect(rule.errors).toBeUndefined();
    const check = await stack.gql<{ runQualityCheck: { id: string } }>(
      "mutation($v: ID!) { runQualityCheck(versionId: $v) { id } }",
      { v: gated.version.id },
    );
    expect(check.errors).toBeUndefined();
    await waitForJob(check.data!.runQualityCheck.id, "manual quality run");

    const refused = await requestTraining({
      eventsVersionId: gated.version.id,
      name: "gated",
      algorithm: "POP",
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
    expect(refused.errors?.[0]?.message).toMatch(/gated_events v1 failed its quality gate/);

    const override = await stack.gql(
      "mutation($v: ID!, $r: String!) { overrideQualityGate(versionId: $v, reason: $r) { qualityOverride } }",
      { v: gated.version.id, r: "carts and purchases are expected here" },
    );
    expect(override.errors).toBeUndefined();
    const run = await train({ eventsVersionId: gated.version.id, name: "gated", algorithm: "POP" });
    expect(run.model.status).toBe("READY");
  });
});
