// The lineage graph's rows (LineageNode, LineageEdge) and the walks over them, plus the dataset
// version facts a lineage view shows. No decisions: the services choose bounds and shapes.
import { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import type { TLineageNodeType, TNodeRef } from "./lineage.service.ts";
import type { TLineageEdgeView, TLineageNodeView } from "./lineage-query.service.ts";

/**
 * Prisma's upsert reads, then inserts: two processes recording the same node or edge at once (a job
 * and an API process that built the same search index) can both insert, and one fails on the unique
 * key. The row then exists, so running the upsert once more updates it.
 */
const upsertOnce = async <T>(upsert: () => Promise<T>): Promise<T> => {
  try {
    return await upsert();
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return upsert();
    throw error;
  }
};

/** The node of (type, refId), created or relabelled; returns its id. */
export const upsertLineageNode = async (deps: TDeps, ref: TNodeRef): Promise<string> => {
  const node = await upsertOnce(() =>
    deps.db.lineageNode.upsert({
      where: { type_refId: { type: ref.type, refId: ref.refId } },
      create: {
        type: ref.type,
        refId: ref.refId,
        label: ref.label,
        metadata: (ref.metadata ?? {}) as object,
      },
      update: { label: ref.label, ...(ref.metadata ? { metadata: ref.metadata as object } : {}) },
    }),
  );
  return node.id;
};

/** The edge (from, to, relation), once; an existing edge keeps its job. */
export const upsertLineageEdge = async (
  deps: TDeps,
  edge: { fromId: string; toId: string; relation: string; jobId: string | null },
): Promise<void> => {
  const { fromId, toId, relation } = edge;
  await upsertOnce(() =>
    deps.db.lineageEdge.upsert({
      where: { fromId_toId_relation: { fromId, toId, relation } },
      create: { fromId, toId, relation, jobId: edge.jobId },
      update: {},
    }),
  );
};

export const findNodesByRefIds = (deps: TDeps, refIds: string[]) =>
  deps.db.lineageNode.findMany({
    where: { refId: { in: refIds } },
    select: { refId: true, type: true, label: true },
  });

export const findNodeOf = (deps: TDeps, type: TLineageNodeType, refId: string) =>
  deps.db.lineageNode.findUnique({ where: { type_refId: { type, refId } }, select: { id: true } });

/*
 * One recursive CTE walks the graph. Rows are (node, direction, depth) combined with UNION (not
 * UNION ALL): Postgres drops a row that repeats any earlier one, so each node is expanded at most once
 * per depth and direction. A cycle therefore only re-adds its nodes at growing depths until the depth
 * bound stops it: the walk always ends and stays polynomial (no path enumeration). The minimum depth
 * per node is its distance; the walk goes one hop further than asked so truncation can be detected.
 */
const WALK_SQL = `
WITH RECURSIVE walk (node_id, dir, depth) AS (
  SELECT n.id, d.dir, 0
  FROM "LineageNode" n CROSS JOIN unnest($2::text[]) AS d(dir)
  WHERE n.id::text = $1 OR n."refId" = $1
  UNION
  SELECT step.next_id, w.dir, w.depth + 1
  FROM walk w
  CROSS JOIN LATERAL (
    SELECT e."toId" AS next_id FROM "LineageEdge" e WHERE w.dir = 'DOWNSTREAM' AND e."fromId" = w.node_id
    UNION ALL
    SELECT e."fromId" FROM "LineageEdge" e WHERE w.dir = 'UPSTREAM' AND e."toId" = w.node_id
  ) step
  WHERE w.depth < $3
)
SELECT n.id, n.type, n."refId" AS "refId", n.label, n.metadata, n."createdAt" AS "createdAt",
       min(w.depth)::int AS depth
FROM walk w JOIN "LineageNode" n ON n.id = w.node_id
GROUP BY n.id
ORDER BY depth, n.type, n.label, n.id
LIMIT $4`;

const EDGES_SQL = `
SELECT e.id, e."fromId" AS "from", e."toId" AS "to", e.relation, e."jobId" AS "jobId",
       e."createdAt" AS "createdAt"
FROM "LineageEdge" e
WHERE e."fromId" = ANY($1::uuid[]) AND e."toId" = ANY($1::uuid[])
ORDER BY e."createdAt", e.id`;

export type TWalkRow = Omit<TLineageNodeView, "version">;

/** The nodes within `depthLimit` hops of `start` (a node id or an entity id), nearest first, at most `rowLimit`. */
export const walkLineage = async (
  deps: TDeps,
  walk: { start: string; directions: ("UPSTREAM" | "DOWNSTREAM")[]; depthLimit: number; rowLimit: number },
): Promise<TWalkRow[]> => {
  const result = await deps.pool.query<TWalkRow>(WALK_SQL, [
    walk.start,
    walk.directions,
    walk.depthLimit,
    walk.rowLimit,
  ]);
  return result.rows;
};

/** The edges whose two ends are both among `nodeIds`. */
export const findEdgesAmong = async (deps: TDeps, nodeIds: string[]): Promise<TLineageEdgeView[]> => {
  const result = await deps.pool.query<TLineageEdgeView>(EDGES_SQL, [nodeIds]);
  return result.rows;
};

export const findVersionSummaries = (deps: TDeps, versionIds: string[]) =>
  deps.db.datasetVersion.findMany({
    where: { id: { in: versionIds } },
    select: {
      id: true,
      number: true,
      status: true,
      qualityScore: true,
      dataset: { select: { id: true, name: true } },
    },
  });

export const findVersionId = (deps: TDeps, versionId: string) =>
  deps.db.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } });
