import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { computeAdjustedRandIndex } from "@dam/clustering/adjusted-rand-index";
import { qualifiedTable } from "@dam/db/data-plane";
import type { GroundTruth } from "@dam/demo-shop/types";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// The demo shop plants 6 taste segments (ground truth per user); profiles + k-means with k chosen by
// silhouette must find them again. 60,000 events over 2,000 users keep the import short.
let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let truth: GroundTruth;
let catalogVersionId: string;
let eventsVersionId: string;

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];
const waitForJob = (id: string, what: string, timeoutMs = 240_000) =>
  waitFor(
    async () => {
      const job = await stack.deps.db.job.findUnique({ where: { id } });
      return job && TERMINAL.includes(job.status) ? job : undefined;
    },
    { what, timeoutMs, intervalMs: 250 },
  );

const SEGMENT_SET = `id status algorithm params metrics
  profileSet { id status userCount features vectorDimension asOf params }
  segments { id index name size share centroid topCategories { name share } priceBands { name share }
    rfm { recencyDaysMedian frequencyMean monetaryMean eventsMean } eventTypes { name mean } }
  projection(first: 2000) { userId segment x y }`;

type TSegmentSetResult = {
  id: string;
  status: string;
  algorithm: string;
  metrics: Record<string, unknown>;
  profileSet: {
    id: string;
    status: string;
    userCount: number;
    features: string[];
    vectorDimension: number;
    asOf: string;
  };
  segments: {
    id: string;
    index: number;
    name: string;
    size: number;
    share: number;
    centroid: number[];
    topCategories: { name: string; share: number }[];
    priceBands: { name: string; share: number }[];
    rfm: { recencyDaysMedian: number; frequencyMean: number; monetaryMean: number; eventsMean: number };
    eventTypes: { name: string; mean: number }[];
  }[];
  projection: { userId: string; segment: number; x: number; y: number }[];
};

const readSegmentSet = async (id: string) => {
  const read = await stack.gql<{ segmentSet: TSegmentSetResult }>(
    `query($id: ID!) { segmentSet(id: $id) { ${SEGMENT_SET} } }`,
    { id },
  );
  expect(read.errors).toBeUndefined();
  return read.data!.segmentSet;
};

const waitForSet = (id: string) =>
  waitFor(
    async () => {
      const set = await stack.deps.db.segmentSet.findUnique({ where: { id } });
      return set && set.status !== "BUILDING" ? set : undefined;
    },
    { what: `segment set ${id}`, timeoutMs: 300_000, intervalMs: 500 },
  );

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dam-segments-"));
  // An empty models directory: the embedding stage takes the lexical fallback, deterministically.
  stack = await startTestStack({
    MODELS_DIR: path.join(dir, "models"),
    ARTIFACTS_DIR: path.join(dir, "artifacts"),
  });
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest", "quality", "features"]);
  const shop = await writeDemoShop(path.join(dir, "shop"), { seed: 42, events: 60_000 });
  truth = shop.truth;
  const products = await importAndWait(stack, {
    name: "shop_products",
    kind: "CATALOG",
    source: {
      paths: [shop.files.products],
      format: "csv",
      roles: {
        item_id: "itemId",
        title: "title",
        description: "description",
        category: "category",
        price: "price",
      },
      types: {},
    },
  });
  const events = await importAndWait(stack, {
    name: "shop_events",
    kind: "EVENTS",
    source: {
      paths: [shop.files.events],
      format: "csv",
      roles: {
        event_id: "eventId",
        user_id: "userId",
        item_id: "itemId",
        event_type: "eventType",
        timestamp: "timestamp",
        session_id: "sessionId",
        quantity: "quantity",
        price: "price",
      },
      types: {},
    },
  });
  expect(products.version.status).toBe("READY");
  expect(events.version.status).toBe("READY");
  catalogVersionId = products.version.id;
  eventsVersionId = events.version.id;
}, 240_000);

afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("feature pipeline on the demo shop", () => {
  let segmentSetId: string;

  it("embeds, profiles and segments; k-means recovers the 6 planted segments (ARI >= 0.8)", async () => {
    const started = await stack.gql<{
      runFeaturePipeline: {
        embeddingSetId: string;
        profileSet: { id: string; status: string };
        segmentSet: { id: string; status: string };
        embedJob: { id: string; name: string } | null;
        profileJob: { id: string } | null;
      };
    }>(
      `mutation($c: ID!, $e: ID!, $s: JSON) { runFeaturePipeline(input: { catalogVersionId: $c, eventsVersionId: $e, segmentParams: $s }) {
        embeddingSetId profileSet { id status } segmentSet { id status } embedJob { id name } profileJob { id } } }`,
      { c: catalogVersionId, e: eventsVersionId, s: { kMin: 3, kMax: 9 } },
    );
    expect(started.errors).toBeUndefined();
    const pipeline = started.data!.runFeaturePipeline;
    expect(pipeline.embedJob?.name).toBe("features.embed");
    // The profile stage waits for the embeddings: its job is queued by the embedding job.
    expect(pipeline.profileJob).toBeNull();
    expect(pipeline.segmentSet.status).toBe("BUILDING");
    segmentSetId = pipeline.segmentSet.id;
    const finished = await waitForSet(segmentSetId);
    expect(finished.status).toBe("READY");

    const set = await readSegmentSet(segmentSetId);
    expect(set.profileSet.status).toBe("READY");
    expect(set.profileSet.userCount).toBe(Object.keys(truth.userSegments).length);
    expect(set.profileSet.features).toEqual(
      expect.arrayContaining([
        "events.view",
        "events.purchase",
        "rfm.recencyDays",
        "rfm.monetary",
        "band.budget",
      ]),
    );
    expect(set.profileSet.vectorDimension).toBeGreaterThan(0);
    expect(set.metrics.k).toBe(6);
    expect(set.segments).toHaveLength(6);
    expect(set.segments.reduce((sum, s) => sum + s.size, 0)).toBe(set.profileSet.userCount);

    const labels = new Map(set.projection.map((p) => [p.userId, p.segment]));
    const users = Object.keys(truth.userSegments).sort();
    const ari = computeAdjustedRandIndex(
      users.map((u) => truth.userSegments[u]!),
      users.map((u) => labels.get(u) ?? -1),
    );
    expect(ari).toBeGreaterThanOrEqual(0.8);

    // Each found segment's leading category is the top category of the planted segment most of its users came from.
    for (const segment of set.segments) {
      const members = set.projection
        .filter((p) => p.segment === segment.index)
        .map((p) => truth.userSegments[p.userId]!);
      const counts = new Map<number, number>();
      for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
      const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      expect(segment.topCategories[0]?.name).toBe(truth.segments[majority]!.topCategories[0]);
      expect(segment.name.startsWith(segment.topCategories[0]!.name)).toBe(true);
      expect(segment.rfm.eventsMean).toBeGreaterThan(0);
      expect(segment.priceBands.map((b) => b.name).sort()).toEqual(["budget", "mid", "premium"]);
    }
  });

  it("records lineage catalogue/events/embeddings -> profiles -> segments", async () => {
    const set = await readSegmentSet(segmentSetId);
    const result = await stack.gql<{
      lineage: { nodes: { type: string; refId: string }[]; edges: { relation: string }[] };
    }>(
      `query($id: ID!) { lineage(id: $id, direction: UPSTREAM, depth: 3) { nodes { type refId } edges { relation } } }`,
      { id: segmentSetId },
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.lineage.nodes;
    expect(nodes.map((n) => n.type)).toEqual(
      expect.arrayContaining(["SEGMENT_SET", "PROFILE_SET", "EMBEDDING_SET", "DATASET_VERSION"]),
    );
    expect(nodes.map((n) => n.refId)).toEqual(
      expect.arrayContaining([set.profileSet.id, eventsVersionId, catalogVersionId]),
    );
    expect(result.data!.lineage.edges.map((e) => e.relation)).toEqual(
      expect.arrayContaining(["segmented_by", "profiled_by", "embedded_by"]),
    );
  });

  it("exports a segment as an audience: a new USERS dataset version with its user ids and lineage", async () => {
    const set = await readSegmentSet(segmentSetId);
    const segment = set.segments[0]!;
    const started = await stack.gql<{ exportSegmentAudience: { id: string; inputIds: string[] } }>(
      `mutation($id: ID!) { exportSegmentAudience(segmentId: $id, datasetName: "audience_test") { id inputIds } }`,
      { id: segment.id },
    );
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(started.data!.exportSegmentAudience.id, "audience export");
    expect(job.error).toBeNull();
    const version = await stack.deps.db.datasetVersion.findUniqueOrThrow({
      where: { id: started.data!.exportSegmentAudience.inputIds[0]! },
      include: { dataset: true },
    });
    expect([version.status, version.dataset.kind, Number(version.rowCount)]).toEqual([
      "READY",
      "USERS",
      segment.size,
    ]);
    const rows = await stack.deps.pool.query<{ user_id: string }>(
      `SELECT user_id FROM ${qualifiedTable(version.tableName)} ORDER BY user_id`,
    );
    const expected = set.projection
      .filter((p) => p.segment === segment.index)
      .map((p) => p.userId)
      .sort();
    expect(rows.rows.map((r) => r.user_id)).toEqual(expected);
    const lineage = await stack.gql<{ lineage: { nodes: { type: string; refId: string }[] } }>(
      `query($id: ID!) { lineage(id: $id, direction: UPSTREAM, depth: 1) { nodes { type refId } } }`,
      { id: version.id },
    );
    expect(lineage.data!.lineage.nodes).toEqual(
      expect.arrayContaining([{ type: "SEGMENT_SET", refId: segmentSetId }]),
    );
  });

  it("DBSCAN on the category shares, eps from the knee of the k-distance curve, also finds the segments", async () => {
    const set = await readSegmentSet(segmentSetId);
    const started = await stack.gql<{
      segmentUsers: { segmentSet: { id: string }; job: { id: string } | null };
    }>(
      `mutation($p: ID!, $params: JSON) { segmentUsers(profileSetId: $p, params: $params) { segmentSet { id } job { id } } }`,
      {
        p: set.profileSet.id,
        params: { algorithm: "DBSCAN", minPts: 20, features: { categories: 1, bands: 0 } },
      },
    );
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(started.data!.segmentUsers.job!.id, "DBSCAN");
    expect(job.error).toBeNull();
    const dbscan = await readSegmentSet(started.data!.segmentUsers.segmentSet.id);
    expect(dbscan.algorithm).toBe("DBSCAN");
    expect(dbscan.metrics.eps).toBe(dbscan.metrics.suggestedEps);
    expect(dbscan.metrics.eps as number).toBeGreaterThan(0);
    expect((dbscan.metrics.kDistanceCurve as number[]).length).toBeGreaterThan(10);
    const noise = dbscan.metrics.noise as number;
    expect(dbscan.segments.reduce((sum, s) => sum + s.size, 0) + noise).toBe(set.profileSet.userCount);
    expect(dbscan.segments.length).toBe(6);
    const labels = new Map(dbscan.projection.map((p) => [p.userId, p.segment]));
    const users = Object.keys(truth.userSegments).sort();
    // Noise (-1) counts as one more cluster here, so every noise point costs agreement.
    const ari = computeAdjustedRandIndex(
      users.map((u) => truth.userSegments[u]!),
      users.map((u) => labels.get(u) ?? -2),
    );
    expect(ari).toBeGreaterThanOrEqual(0.8);
  });

  it("rejects bad parameters with the field that is wrong", async () => {
    const set = await readSegmentSet(segmentSetId);
    const bad = await stack.gql(
      `mutation($p: ID!, $params: JSON) { segmentUsers(profileSetId: $p, params: $params) { segmentSet { id } } }`,
      { p: set.profileSet.id, params: { kMin: 8, kMax: 3 } },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.message).toBe("params.kMin: kMin must not exceed kMax");
    const wrongVersion = await stack.gql(
      `mutation($e: ID!) { profileUsers(eventsVersionId: $e) { profileSet { id } } }`,
      { e: catalogVersionId },
    );
    expect(wrongVersion.errors?.[0]?.extensions?.code).toBe("PRECONDITION_FAILED");
    expect(wrongVersion.errors?.[0]?.message).toMatch(/no column with the role userId/);
  });

  it("fuses item features (text, category, attributes, log price and popularity) into a versioned feature set; profiles on it segment as well", async () => {
    const set = await readSegmentSet(segmentSetId);
    const embeddingSetId = (set.profileSet as unknown as { params: { vectorSource: { id: string } } }).params
      .vectorSource.id;
    const build = (name: string) =>
      stack.gql<{ buildFeatureSet: { id: string; inputIds: string[] } }>(
        "mutation($n: String!, $r: JSON!) { buildFeatureSet(name: $n, recipe: $r) { id inputIds } }",
        {
          n: name,
          r: {
            catalogVersionId,
            embeddingSetId,
            eventsVersionId,
            weights: { text: 1, category: 1, attributes: 0.5, numeric: 0.3 },
          },
        },
      );
    const first = await build("shop_items");
    expect(first.errors).toBeUndefined();
    expect((await waitForJob(first.data!.buildFeatureSet.id, "fusion")).error).toBeNull();
    const second = await build("shop_items");
    expect((await waitForJob(second.data!.buildFeatureSet.id, "fusion again")).error).toBeNull();
    const read = await stack.gql<{
      featureSets: {
        edges: {
          node: {
            id: string;
            version: number;
            status: string;
            dimension: number;
            count: number;
            blocks: { name: string; width: number }[];
          };
        }[];
      };
    }>(
      'query { featureSets(name: "shop_items") { edges { node { id version status dimension count blocks { name width } } } } }',
    );
    expect(read.errors).toBeUndefined();
    const sets = read.data!.featureSets.edges.map((e) => e.node);
    expect(sets.map((s) => s.version)).toEqual([2, 1]);
    const fused = sets[1]!;
    expect(fused.status).toBe("READY");
    expect(fused.count).toBe(truth.counts.uniqueProducts);
    // The catalogue's attribute columns get their roles at import now (role inference), so the recipe's
    // attributes weight has columns to encode.
    expect(fused.blocks.map((b) => b.name)).toEqual(["text", "category", "attributes", "numeric"]);
    expect(fused.blocks.reduce((sum, b) => sum + b.width, 0)).toBe(fused.dimension);
    const lineage = await stack.gql<{ lineage: { nodes: { type: string; refId: string }[] } }>(
      "query($id: ID!) { lineage(id: $id, direction: UPSTREAM, depth: 1) { nodes { type refId } } }",
      { id: fused.id },
    );
    expect(lineage.data!.lineage.nodes.map((n) => n.refId)).toEqual(
      expect.arrayContaining([fused.id, catalogVersionId, eventsVersionId, embeddingSetId]),
    );

    // Profiles whose vector is the decayed mean of fused item vectors, clustered on that vector alone.
    const profiled = await stack.gql<{
      profileUsers: { profileSet: { id: string }; job: { id: string } | null };
    }>(
      "mutation($e: ID!, $p: JSON) { profileUsers(eventsVersionId: $e, params: $p) { profileSet { id } job { id } } }",
      { e: eventsVersionId, p: { vectorSource: { type: "FEATURE_SET", id: fused.id }, halfLifeDays: 60 } },
    );
    expect(profiled.errors).toBeUndefined();
    expect(
      (await waitForJob(profiled.data!.profileUsers.job!.id, "profiles on fused vectors")).error,
    ).toBeNull();
    const segmented = await stack.gql<{ segmentUsers: { segmentSet: { id: string }; job: { id: string } } }>(
      "mutation($p: ID!, $params: JSON) { segmentUsers(profileSetId: $p, params: $params) { segmentSet { id } job { id } } }",
      {
        p: profiled.data!.profileUsers.profileSet.id,
        params: { k: 6, features: { categories: 0, bands: 0, vector: 1 } },
      },
    );
    expect(
      (await waitForJob(segmented.data!.segmentUsers.job.id, "segments on fused vectors")).error,
    ).toBeNull();
    const byVector = await readSegmentSet(segmented.data!.segmentUsers.segmentSet.id);
    expect(byVector.profileSet.vectorDimension).toBe(fused.dimension);
    const labels = new Map(byVector.projection.map((p) => [p.userId, p.segment]));
    const users = Object.keys(truth.userSegments).sort();
    const ari = computeAdjustedRandIndex(
      users.map((u) => truth.userSegments[u]!),
      users.map((u) => labels.get(u) ?? -1),
    );
    expect(ari).toBeGreaterThanOrEqual(0.8);
  });
});
