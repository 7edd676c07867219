import { existsSync } from "node:fs";
import { appendFile, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps, type TDeps } from "../src/deps.ts";
import { readEnv } from "../src/env.ts";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { embeddingDir } from "../src/modules/features/embedding-artifact.ts";
import { executeEmbeddingRun } from "../src/modules/features/embedding-run.service.ts";
import { embedCatalogJob } from "../src/modules/features/features.jobs.ts";
import type { TJobContext } from "../src/modules/jobs/job-definition.ts";
import { enqueueJob } from "../src/modules/jobs/jobs.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SHARED_MODELS_DIR = path.resolve(ROOT, "../shared/models");
const SHARED_MODEL_ID = "retail-static-64d";
const sharedModelPresent = existsSync(path.join(SHARED_MODELS_DIR, SHARED_MODEL_ID, "config.json"));

// Four obvious product groups; colours and brands are shared across groups so that only the product
// words tell them apart. 40 items per group make 160 rows: three embedding batches of 64.
const COLOURS = ["red", "blue", "green", "black", "white", "yellow", "grey", "pink", "orange", "brown"];
const BRANDS = ["Acme", "Nordic", "Casa", "Urban"];
const GROUPS = {
  mug: (colour: string, i: number) => [
    `${colour} ceramic coffee mug ${300 + i} ml`,
    "Ceramic mug for coffee and tea, dishwasher safe, a kitchen cup with handle",
  ],
  hose: (colour: string, i: number) => [
    `${colour} garden hose ${10 + i} m`,
    "Flexible garden watering hose with spray nozzle for lawn, plants and garden beds",
  ],
  shoe: (colour: string, i: number) => [
    `${colour} leather running shoes size ${36 + (i % 10)}`,
    "Comfortable running shoes with rubber sole and laces for walking, jogging and sport",
  ],
  lamp: (colour: string, i: number) => [
    `${colour} bedside table lamp ${i}`,
    "Table lamp with linen lampshade and warm light bulb for bedroom and living room lighting",
  ],
} satisfies Record<string, (colour: string, i: number) => [string, string]>;
type TGroup = keyof typeof GROUPS;

const csvCell = (value: string) => `"${value.replaceAll('"', '""')}"`;
const CATALOG_ROWS = (Object.keys(GROUPS) as TGroup[]).flatMap((group) =>
  Array.from({ length: 40 }, (_, i) => {
    const [title, description] = GROUPS[group](COLOURS[i % COLOURS.length]!, i);
    return { itemId: `${group}-${i}`, title, description, brand: BRANDS[i % BRANDS.length]!, group };
  }),
);
const CSV = [
  "item_id,title,description,category,brand,price",
  ...CATALOG_ROWS.map((row, i) =>
    [row.itemId, csvCell(row.title), csvCell(row.description), row.group, row.brand, (5 + i).toFixed(2)].join(
      ",",
    ),
  ),
].join("\n");
const groupOf = (itemId: string) => itemId.split("-")[0];

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;
let versionId: string;

const waitForJob = (deps: TDeps, jobId: string, what: string) =>
  waitFor(
    async () => {
      const row = await deps.db.job.findUnique({ where: { id: jobId } });
      return row && ["COMPLETED", "FAILED", "CANCELLED"].includes(row.status) ? row : undefined;
    },
    { what, timeoutMs: 45_000 },
  );

type TSet = {
  id: string;
  modelId: string;
  backend: string;
  dimension: number;
  count: number;
  status: string;
  fallbackReason: string | null;
};
const SET_FIELDS = "id modelId modelVersion backend dimension count status location fallbackReason template";

const embed = async (variables: Record<string, unknown>) => {
  const started = await stack.gql<{
    embedCatalog: { id: string; name: string; queue: string; inputIds: string[] };
  }>(
    "mutation($versionId: ID!, $modelId: String, $template: String) { embedCatalog(input: { versionId: $versionId, modelId: $modelId, template: $template }) { id name queue inputIds } }",
    variables,
  );
  expect(started.errors).toBeUndefined();
  const job = started.data!.embedCatalog;
  expect([job.name, job.queue]).toEqual(["features.embed", "features"]);
  const finished = await waitForJob(stack.deps, job.id, "embedding job");
  expect(finished.error).toBeNull();
  expect(finished.status).toBe("COMPLETED");
  expect(finished.progress).toBe(100);
  const embeddingSetId = job.inputIds[0]!;
  const read = await stack.gql<{ embeddingSet: TSet }>(
    `query($id: ID!) { embeddingSet(id: $id) { ${SET_FIELDS} } }`,
    { id: embeddingSetId },
  );
  expect(read.errors).toBeUndefined();
  return { job: finished, set: read.data!.embeddingSet };
};

const similar = async (embeddingSetId: string, itemId: string, first = 5) => {
  const result = await stack.gql<{
    similarItemsByEmbedding: { itemId: string; score: number; title: string }[];
  }>(
    `query($embeddingSetId: ID!, $itemId: String!, $first: Int) {
      similarItemsByEmbedding(embeddingSetId: $embeddingSetId, itemId: $itemId, first: $first) { itemId score title }
    }`,
    { embeddingSetId, itemId, first },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.similarItemsByEmbedding;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dam-features-"));
  const emptyModels = path.join(dir, "models-empty");
  stack = await startTestStack({ MODELS_DIR: emptyModels, ARTIFACTS_DIR: path.join(dir, "artifacts") });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "features"]);
  const file = path.join(dir, "catalog.csv");
  await writeFile(file, CSV);
  const { version, job } = await createFileImport(stack.deps, null, {
    name: "features_catalog",
    kind: "CATALOG",
    source: {
      paths: [file],
      format: "csv",
      roles: {
        item_id: "itemId",
        title: "title",
        description: "description",
        category: "category",
        brand: "brand",
        price: "price",
      },
      types: { item_id: "text", price: "decimal" },
    },
  });
  expect((await waitForJob(stack.deps, job.id, "catalogue import")).status).toBe("COMPLETED");
  versionId = version.id;
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("features.embed", () => {
  it("falls back to the lexical embedder when the model is missing, says why, and finds similar items", async () => {
    const { job, set } = await embed({ versionId });
    expect(set).toMatchObject({
      status: "READY",
      backend: "lexical",
      modelId: "lexical-hash-tfidf",
      count: 160,
    });
    expect(set.dimension).toBe(256);
    expect(set.fallbackReason).toContain('model "Xenova/all-MiniLM-L6-v2" not found');
    expect(set.fallbackReason).toContain(path.join(dir, "models-empty"));

    const dim = set.dimension;
    const location = embeddingDir(stack.deps.env.ARTIFACTS_DIR, set.id);
    expect((await stat(path.join(location, "vectors.f32"))).size).toBe(160 * dim * 4);
    expect(existsSync(path.join(location, "checkpoint.json"))).toBe(false);

    const neighbours = await similar(set.id, "mug-3");
    expect(neighbours).toHaveLength(5);
    expect(neighbours.map((item) => groupOf(item.itemId))).toEqual(["mug", "mug", "mug", "mug", "mug"]);
    expect(neighbours.map((item) => item.itemId)).not.toContain("mug-3");
    expect(neighbours[0]!.title).toMatch(/ceramic coffee mug/);
    expect(neighbours[0]!.score).toBeGreaterThanOrEqual(neighbours[4]!.score);
    for (const probe of ["hose-0", "shoe-7", "lamp-12"]) {
      const items = await similar(set.id, probe, 3);
      expect(items.map((item) => groupOf(item.itemId))).toEqual(Array(3).fill(groupOf(probe)));
    }

    // Lineage: catalogue version -> embedding set, recording the fallback (never silent).
    const edge = await stack.deps.db.lineageEdge.findFirstOrThrow({
      where: { relation: "embedded_by", to: { refId: set.id, type: "EMBEDDING_SET" } },
      include: { from: true, to: true },
    });
    expect([edge.from.type, edge.from.refId, edge.jobId]).toEqual(["DATASET_VERSION", versionId, job.id]);
    expect(edge.to.metadata).toMatchObject({
      backend: "lexical",
      requestedModelId: "Xenova/all-MiniLM-L6-v2",
    });

    // The same job again, collapsed and forced: no second set of vectors, no second edge.
    const again = await enqueueJob(stack.deps, embedCatalogJob, { embeddingSetId: set.id });
    expect(again.id).toBe(job.id);
    await enqueueJob(stack.deps, embedCatalogJob, { embeddingSetId: set.id }, { rerun: true });
    const rerun = await waitForJob(stack.deps, job.id, "re-run");
    expect(rerun.status).toBe("COMPLETED");
    expect((await stat(path.join(location, "vectors.f32"))).size).toBe(160 * dim * 4);
    expect(await stack.deps.db.embeddingSet.count({ where: { sourceVersionId: versionId } })).toBe(1);
    expect(
      await stack.deps.db.lineageEdge.count({ where: { relation: "embedded_by", to: { refId: set.id } } }),
    ).toBe(1);

    const listed = await stack.gql<{
      embeddingSets: { totalCount: number; edges: { node: { id: string } }[] };
    }>("query($v: ID!) { embeddingSets(sourceVersionId: $v) { totalCount edges { node { id } } } }", {
      v: versionId,
    });
    expect(listed.data?.embeddingSets.edges.map((e) => e.node.id)).toEqual([set.id]);
  });

  it("rejects a template naming no known column and a model id that is not a plain name", async () => {
    const bad = await stack.gql(
      'mutation($v: ID!) { embedCatalog(input: { versionId: $v, template: "{title} {colour}" }) { id } }',
      { v: versionId },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toContain("{colour}");
    const escaping = await stack.gql(
      'mutation($v: ID!) { embedCatalog(input: { versionId: $v, modelId: "../../etc" }) { id } }',
      { v: versionId },
    );
    expect(escaping.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await stack.deps.db.embeddingSet.count({ where: { sourceVersionId: versionId } })).toBe(1);
  });

  it("resumes an interrupted run without duplicating vectors and reports progress up to 100", async () => {
    const set = await stack.deps.db.embeddingSet.create({
      data: {
        sourceVersionId: versionId,
        modelId: "missing/model",
        modelVersion: "",
        backend: "pending",
        dimension: 0,
        template: "{title}. {description}",
      },
    });
    const progress: number[] = [];
    let checkpoints = 0;
    const ctx = (stopAt: number): TJobContext => ({
      jobRecordId: "00000000-0000-0000-0000-000000000000",
      attempt: 1,
      progress: async (percent) => {
        progress.push(percent);
      },
      checkpoint: async () => {
        checkpoints += 1;
        if (checkpoints === stopAt) throw new Error("worker killed");
      },
    });
    // Checkpoint 1 follows the corpus read, 2 the first embedding batch of 64, 3 the second; a stop
    // there still writes the batches already embedded.
    await expect(executeEmbeddingRun(stack.deps, set.id, ctx(3))).rejects.toThrow("worker killed");
    const location = embeddingDir(stack.deps.env.ARTIFACTS_DIR, set.id);
    const saved = JSON.parse(await readFile(path.join(location, "checkpoint.json"), "utf8"));
    expect(saved.rows).toBe(128);
    // A batch written after the last checkpoint (the kill came mid-write) must be dropped on resume.
    await appendFile(path.join(location, "vectors.f32.partial"), new Uint8Array(64 * 256 * 4));
    await appendFile(path.join(location, "ids.jsonl.partial"), '"mug-0"\n"mug-1"\n');

    progress.length = 0;
    checkpoints = 0;
    const result = await executeEmbeddingRun(stack.deps, set.id, ctx(-1));
    expect(result).toMatchObject({ count: 160, resumedAt: 128, backend: "lexical" });
    const ids = (await readFile(path.join(location, "ids.jsonl"), "utf8")).trim().split("\n");
    expect(ids).toHaveLength(160);
    expect(new Set(ids).size).toBe(160);
    expect((await stat(path.join(location, "vectors.f32"))).size).toBe(160 * 256 * 4);
    expect(progress.at(-1)).toBe(100);
    expect(progress.every((value, i) => i === 0 || value >= progress[i - 1]!)).toBe(true);
  });

  it.skipIf(!sharedModelPresent)(
    `embeds with the shared transformers.js model (skipped when ${SHARED_MODELS_DIR} is missing)`,
    async () => {
      // A second worker process would have its own MODELS_DIR: here, deps over the same database and Redis.
      const modelDeps = createDeps(readEnv({ ...stack.env, MODELS_DIR: SHARED_MODELS_DIR }));
      await workers.stop();
      const modelWorkers = startWorkers(modelDeps, WORKER_REGISTRY, ["features"]);
      try {
        const { set } = await embed({ versionId, modelId: SHARED_MODEL_ID });
        expect(set).toMatchObject({
          status: "READY",
          backend: "transformers",
          modelId: SHARED_MODEL_ID,
          dimension: 64,
          count: 160,
          fallbackReason: null,
        });
        const neighbours = await similar(set.id, "mug-3", 5);
        expect(neighbours.filter((item) => groupOf(item.itemId) === "mug").length).toBeGreaterThanOrEqual(4);
        const lamps = await similar(set.id, "lamp-12", 5);
        expect(lamps.filter((item) => groupOf(item.itemId) === "lamp").length).toBeGreaterThanOrEqual(4);
      } finally {
        await modelWorkers.stop();
        await modelDeps.close();
      }
    },
  );
  if (!sharedModelPresent) {
    process.stderr.write(`[features.int] skipping the shared-model case: ${SHARED_MODELS_DIR} is missing\n`);
  }
});
