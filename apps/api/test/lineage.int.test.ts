import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { versionTableName } from "@dam/db/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, createApiKey } from "../src/modules/auth/auth.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { recordLineage, type TNodeRef } from "../src/modules/lineage/lineage.service.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

type TNode = {
  id: string;
  type: string;
  refId: string;
  label: string;
  depth: number;
  metadata: Record<string, unknown>;
  version: { datasetName: string; number: number; status: string; datasetId: string } | null;
};
type TEdge = { id: string; from: string; to: string; relation: string; jobId: string | null };
type TGraph = { nodes: TNode[]; edges: TEdge[]; truncated: boolean };

const LINEAGE = /* GraphQL */ `
  query Lineage($id: ID!, $direction: LineageDirection!, $depth: Int) {
    lineage(id: $id, direction: $direction, depth: $depth) {
      truncated
      nodes { id type refId label depth metadata version { datasetId datasetName number status } }
      edges { id from to relation jobId createdAt }
    }
  }
`;
const IMPACT = /* GraphQL */ `
  query Impact($versionId: ID!) {
    impact(versionId: $versionId) {
      versionId
      total
      truncated
      root { id refId }
      groups { type count nodes { refId depth version { datasetName number status } } }
    }
  }
`;

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers> | undefined;
const refs: Record<string, TNodeRef> = {};

const createVersion = async (datasetId: string, number: number) => {
  const id = crypto.randomUUID();
  await stack.deps.db.datasetVersion.create({
    data: { id, datasetId, number, tableName: versionTableName(id), status: "READY" },
  });
  return id;
};

const lineage = async (id: string, direction: string, depth?: number) => {
  const answer = await stack.gql<{ lineage: TGraph }>(LINEAGE, { id, direction, depth });
  expect(answer.errors).toBeUndefined();
  return answer.data!.lineage;
};

// "refId -> depth" pairs, sorted: compact and order-independent.
const depths = (graph: TGraph) => graph.nodes.map((node) => `${node.refId}@${node.depth}`).sort();
const edgePairs = (graph: TGraph) => {
  const refOf = new Map(graph.nodes.map((node) => [node.id, node.refId]));
  return graph.edges.map((edge) => `${refOf.get(edge.from)}->${refOf.get(edge.to)}`).sort();
};

beforeAll(async () => {
  stack = await startTestStack();
  // raw.csv -> v1 -> v2 (clean) -> features -> model, with a diamond through embeddings and a branch
  // v1 -> v3 (another cleaning) -> segments that must stay out of v2's upstream.
  const events = await stack.deps.db.dataset.create({ data: { name: "lineage_events", kind: "EVENTS" } });
  const v1 = await createVersion(events.id, 1);
  const v2 = await createVersion(events.id, 2);
  const v3 = await createVersion(events.id, 3);
  Object.assign(refs, {
    file: { type: "FILE", refId: "/data/raw.csv", label: "raw.csv" },
    v1: { type: "DATASET_VERSION", refId: v1, label: "lineage_events v1" },
    v2: { type: "DATASET_VERSION", refId: v2, label: "lineage_events v2" },
    v3: { type: "DATASET_VERSION", refId: v3, label: "lineage_events v3" },
    emb: { type: "EMBEDDING_SET", refId: "emb-1", label: "titles minilm", metadata: { model: "minilm" } },
    feat: { type: "FEATURE_SET", refId: "feat-1", label: "fused item features" },
    model: { type: "MODEL_VERSION", refId: "model-1", label: "ease v1" },
    seg: { type: "SEGMENT_SET", refId: "seg-1", label: "k-means k=6" },
  } satisfies Record<string, TNodeRef>);
  const link = (from: string[], to: string, relation: string) =>
    recordLineage(stack.deps, { from: from.map((key) => refs[key]!), to: refs[to]!, relation });
  await link(["file"], "v1", "imported_from");
  await link(["v1"], "v2", "cleaned_from");
  await link(["v1"], "v3", "cleaned_from");
  await link(["v2"], "emb", "embedded_from");
  await link(["v2", "emb"], "feat", "derived_from");
  await link(["feat"], "model", "trained_on");
  await link(["v3"], "seg", "segmented_from");
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

describe("lineage query", () => {
  it("follows DOWNSTREAM edges up to the requested depth", async () => {
    const one = await lineage(refs.v1!.refId, "DOWNSTREAM", 1);
    expect(depths(one)).toEqual([`${refs.v1!.refId}@0`, `${refs.v2!.refId}@1`, `${refs.v3!.refId}@1`].sort());
    expect(edgePairs(one)).toEqual(
      [`${refs.v1!.refId}->${refs.v2!.refId}`, `${refs.v1!.refId}->${refs.v3!.refId}`].sort(),
    );

    const three = await lineage(refs.v1!.refId, "DOWNSTREAM", 3);
    // feat is reached in 2 hops (v2 -> feat), not 3 (v2 -> emb -> feat): depth is the shortest distance.
    expect(depths(three)).toEqual(
      [
        `${refs.v1!.refId}@0`,
        `${refs.v2!.refId}@1`,
        `${refs.v3!.refId}@1`,
        "emb-1@2",
        "feat-1@2",
        "seg-1@2",
        "model-1@3",
      ].sort(),
    );
    expect(three.edges).toHaveLength(7); // every edge except file -> v1 (the file is upstream)
    expect(three.truncated).toBe(false);
    const v2 = three.nodes.find((node) => node.refId === refs.v2!.refId);
    expect(v2?.version).toMatchObject({ datasetName: "lineage_events", number: 2, status: "READY" });
    expect(three.nodes.find((node) => node.refId === "emb-1")?.metadata).toEqual({ model: "minilm" });
    expect(three.nodes.find((node) => node.refId === "emb-1")?.version).toBeNull();
  });

  it("follows UPSTREAM edges and leaves sibling branches out", async () => {
    const one = await lineage("model-1", "UPSTREAM", 1);
    expect(depths(one)).toEqual(["feat-1@1", "model-1@0"]);
    expect(one.edges.map((edge) => edge.relation)).toEqual(["trained_on"]);

    const three = await lineage("model-1", "UPSTREAM", 3);
    expect(depths(three)).toEqual(
      ["model-1@0", "feat-1@1", "emb-1@2", `${refs.v2!.refId}@2`, `${refs.v1!.refId}@3`].sort(),
    );
    expect(three.nodes.map((node) => node.refId)).not.toContain(refs.v3!.refId);
    expect(three.nodes.map((node) => node.refId)).not.toContain("/data/raw.csv"); // 4 hops away
  });

  it("BOTH is the union of both directions, and a lineage node id works as the start", async () => {
    const byRef = await lineage(refs.v2!.refId, "BOTH", 1);
    expect(depths(byRef)).toEqual(
      [`${refs.v2!.refId}@0`, `${refs.v1!.refId}@1`, "emb-1@1", "feat-1@1"].sort(),
    );
    expect(byRef.nodes.map((node) => node.refId)).not.toContain(refs.v3!.refId); // a sibling, not lineage
    const nodeId = byRef.nodes.find((node) => node.depth === 0)!.id;
    const byNodeId = await lineage(nodeId, "BOTH", 1);
    expect(depths(byNodeId)).toEqual(depths(byRef));

    const wide = await lineage(refs.v2!.refId, "BOTH", 3);
    expect(depths(wide)).toContain("/data/raw.csv@2");
    expect(depths(wide)).toContain("model-1@2");
    expect(depths(wide)).not.toContain("seg-1@2");
  });

  it("terminates on cycles and reports each node once at its shortest distance", async () => {
    const a: TNodeRef = { type: "FEATURE_SET", refId: "cycle-a", label: "a" };
    const b: TNodeRef = { type: "FEATURE_SET", refId: "cycle-b", label: "b" };
    const c: TNodeRef = { type: "MODEL_VERSION", refId: "cycle-c", label: "c" };
    await recordLineage(stack.deps, { from: [a], to: b });
    await recordLineage(stack.deps, { from: [b], to: c });
    await recordLineage(stack.deps, { from: [c], to: a });
    const down = await lineage("cycle-a", "DOWNSTREAM", 10);
    expect(depths(down)).toEqual(["cycle-a@0", "cycle-b@1", "cycle-c@2"]);
    expect(down.edges).toHaveLength(3);
    const both = await lineage("cycle-b", "BOTH", 10);
    expect(depths(both)).toEqual(["cycle-a@1", "cycle-b@0", "cycle-c@1"]);
  });

  it("rejects a bad depth, an unknown id and a role without lineage:read", async () => {
    const deep = await stack.gql(LINEAGE, { id: refs.v1!.refId, direction: "BOTH", depth: 11 });
    expect(deep.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const unknown = await stack.gql(LINEAGE, { id: "no-such-entity", direction: "BOTH" });
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    const admin = await authenticate(stack.deps, `Bearer ${ADMIN_TOKEN}`);
    const labeller = await createApiKey(stack.deps.db, admin, { name: "lab", role: "LABELLER" });
    const viewer = await createApiKey(stack.deps.db, admin, { name: "view", role: "VIEWER" });
    const denied = await stack.gql(LINEAGE, { id: refs.v1!.refId, direction: "BOTH" }, labeller.key);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const deniedImpact = await stack.gql(IMPACT, { versionId: refs.v1!.refId }, labeller.key);
    expect(deniedImpact.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const allowed = await stack.gql(LINEAGE, { id: refs.v1!.refId, direction: "BOTH" }, viewer.key);
    expect(allowed.errors).toBeUndefined();
  });
});

describe("impact analysis", () => {
  it("lists everything downstream of a version, grouped by kind in pipeline order", async () => {
    const answer = await stack.gql<{
      impact: {
        total: number;
        truncated: boolean;
        root: { refId: string } | null;
        groups: {
          type: string;
          count: number;
          nodes: { refId: string; depth: number; version: { datasetName: string; number: number } | null }[];
        }[];
      };
    }>(IMPACT, { versionId: refs.v1!.refId });
    expect(answer.errors).toBeUndefined();
    const impact = answer.data!.impact;
    expect(impact.root?.refId).toBe(refs.v1!.refId);
    expect(impact.total).toBe(6);
    expect(impact.truncated).toBe(false);
    expect(impact.groups.map((group) => [group.type, group.count])).toEqual([
      ["DATASET_VERSION", 2],
      ["EMBEDDING_SET", 1],
      ["FEATURE_SET", 1],
      ["SEGMENT_SET", 1],
      ["MODEL_VERSION", 1],
    ]);
    expect(impact.groups[0]!.nodes.map((node) => node.version)).toEqual([
      { datasetName: "lineage_events", number: 2, status: "READY" },
      { datasetName: "lineage_events", number: 3, status: "READY" },
    ]);
    expect(impact.groups.at(-1)!.nodes[0]).toMatchObject({ refId: "model-1", depth: 3 });
  });

  it("walks a chain of diamonds in linear work (2^24 paths, 73 nodes)", async () => {
    // Each diamond doubles the number of paths: a walk that enumerated paths would never finish.
    const events = await stack.deps.db.dataset.findUniqueOrThrow({ where: { name: "lineage_events" } });
    const start = await createVersion(events.id, 5);
    const node = (refId: string) => ({ id: crypto.randomUUID(), type: "FEATURE_SET", refId, label: refId });
    const root = { ...node(start), type: "DATASET_VERSION" };
    const nodes = [root];
    const edges: { fromId: string; toId: string }[] = [];
    let joint = root;
    for (let i = 0; i < 24; i++) {
      const [left, right, next] = [node(`d${i}-l`), node(`d${i}-r`), node(`d${i}-j`)];
      nodes.push(left, right, next);
      edges.push(
        { fromId: joint.id, toId: left.id },
        { fromId: joint.id, toId: right.id },
        { fromId: left.id, toId: next.id },
        { fromId: right.id, toId: next.id },
      );
      joint = next;
    }
    await stack.deps.db.lineageNode.createMany({ data: nodes });
    await stack.deps.db.lineageEdge.createMany({ data: edges });
    // UNION (not UNION ALL) in the traversal dedupes the 2^24 paths; UNION ALL would not finish and the
    // test would hit its timeout.
    const answer = await stack.gql<{ impact: { total: number; truncated: boolean } }>(IMPACT, {
      versionId: start,
    });
    expect(answer.data?.impact).toMatchObject({ total: 72, truncated: false });
  });

  it("answers an empty report for a version without lineage and NOT_FOUND for no version", async () => {
    const events = await stack.deps.db.dataset.findUniqueOrThrow({ where: { name: "lineage_events" } });
    const lonely = await createVersion(events.id, 4);
    const empty = await stack.gql<{ impact: { total: number; root: null; groups: unknown[] } }>(IMPACT, {
      versionId: lonely,
    });
    expect(empty.data?.impact).toMatchObject({ total: 0, root: null, groups: [] });
    const missing = await stack.gql(IMPACT, { versionId: crypto.randomUUID() });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("lineage of a real import", () => {
  it("records FILE -> DATASET_VERSION with the ingest job", async () => {
    workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
    const dir = await mkdtemp(path.join(tmpdir(), "dam-lineage-"));
    const file = path.join(dir, "items.csv");
    await writeFile(file, "item_id,title\n1,Mug\n2,Lamp\n");
    const { version, job } = await importAndWait(stack, {
      name: "lineage_import",
      kind: "CATALOG",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    expect(job.status).toBe("COMPLETED");
    const graph = await lineage(version.id, "UPSTREAM", 3);
    expect(graph.nodes.map((node) => [node.type, node.refId, node.depth])).toEqual([
      ["DATASET_VERSION", version.id, 0],
      ["FILE", file, 1],
    ]);
    expect(graph.nodes[0]?.version).toMatchObject({
      datasetName: "lineage_import",
      number: 1,
      status: "READY",
    });
    expect(graph.edges).toEqual([
      expect.objectContaining({ relation: "imported_from", jobId: job.id, to: graph.nodes[0]!.id }),
    ]);
  });
});
