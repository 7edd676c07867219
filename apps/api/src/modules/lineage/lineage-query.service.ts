import type { VersionStatus } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TLineageNodeType } from "./lineage.service.ts";

export type TLineageDirection = "UPSTREAM" | "DOWNSTREAM" | "BOTH";

export type TLineageVersionRef = {
  versionId: string;
  datasetId: string;
  datasetName: string;
  number: number;
  status: VersionStatus;
  qualityScore: number | null;
};

export type TLineageNodeView = {
  id: string;
  type: TLineageNodeType;
  refId: string;
  label: string;
  metadata: unknown;
  depth: number;
  createdAt: Date;
  version: TLineageVersionRef | null;
};

export type TLineageEdgeView = {
  id: string;
  from: string;
  to: string;
  relation: string;
  jobId: string | null;
  createdAt: Date;
};

export type TLineageGraph = { nodes: TLineageNodeView[]; edges: TLineageEdgeView[]; truncated: boolean };

export const MAX_LINEAGE_DEPTH = 10;
// A graph larger than this is unreadable on screen and heavy to lay out; the nearest nodes are kept.
export const MAX_LINEAGE_NODES = 500;
// Impact follows every path downstream; the caps only guard against runaway graphs.
export const IMPACT_MAX_DEPTH = 50;
export const IMPACT_MAX_NODES = 2_000;

// Pipeline order, so reports read from data to models.
const TYPE_ORDER: TLineageNodeType[] = [
  "FILE",
  "DATASET_VERSION",
  "LABEL_PROJECT",
  "IMAGE_SET",
  "EMBEDDING_SET",
  "FEATURE_SET",
  "PROFILE_SET",
  "SEGMENT_SET",
  "MODEL_VERSION",
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

type TWalkRow = Omit<TLineageNodeView, "version">;

const walk = async (
  deps: TDeps,
  start: string,
  directions: ("UPSTREAM" | "DOWNSTREAM")[],
  depth: number,
  maxNodes: number,
): Promise<{ rows: TWalkRow[]; overNodeCap: boolean; beyondDepth: boolean }> => {
  const result = await deps.pool.query<TWalkRow>(WALK_SQL, [start, directions, depth + 1, maxNodes + 1]);
  // Rows one hop past the depth bound only tell that the graph goes on; they are not returned.
  const within = result.rows.filter((row) => row.depth <= depth);
  return {
    rows: within.slice(0, maxNodes),
    overNodeCap: within.length > maxNodes,
    beyondDepth: within.length < result.rows.length,
  };
};

const attachVersions = async (deps: TDeps, rows: TWalkRow[]): Promise<TLineageNodeView[]> => {
  const versionIds = rows
    .filter((row) => row.type === "DATASET_VERSION" && UUID.test(row.refId))
    .map((row) => row.refId);
  const versions =
    versionIds.length === 0
      ? []
      : await deps.db.datasetVersion.findMany({
          where: { id: { in: versionIds } },
          select: {
            id: true,
            number: true,
            status: true,
            qualityScore: true,
            dataset: { select: { id: true, name: true } },
          },
        });
  const byId = new Map(versions.map((version) => [version.id, version]));
  return rows.map((row) => {
    const version = row.type === "DATASET_VERSION" ? byId.get(row.refId) : undefined;
    return {
      ...row,
      version: version
        ? {
            versionId: version.id,
            datasetId: version.dataset.id,
            datasetName: version.dataset.name,
            number: version.number,
            status: version.status,
            qualityScore: version.qualityScore,
          }
        : null,
    };
  });
};

const findEdgesBetween = async (deps: TDeps, nodeIds: string[]): Promise<TLineageEdgeView[]> => {
  if (nodeIds.length === 0) return [];
  const result = await deps.pool.query<TLineageEdgeView>(EDGES_SQL, [nodeIds]);
  return result.rows;
};

/** The lineage around `id` (an entity id, e.g. a version id or file path, or a lineage node id). */
export const findLineage = async (
  deps: TDeps,
  args: { id: string; direction: TLineageDirection; depth: number },
): Promise<TLineageGraph> => {
  if (!Number.isInteger(args.depth) || args.depth < 0 || args.depth > MAX_LINEAGE_DEPTH) {
    throw new AppError("BAD_USER_INPUT", `depth: must be an integer from 0 to ${MAX_LINEAGE_DEPTH}`, {
      field: "depth",
    });
  }
  const directions = args.direction === "BOTH" ? (["UPSTREAM", "DOWNSTREAM"] as const) : [args.direction];
  const { rows, overNodeCap } = await walk(deps, args.id, [...directions], args.depth, MAX_LINEAGE_NODES);
  if (rows.length === 0) {
    throw new AppError("NOT_FOUND", `No lineage recorded for ${args.id}`, { field: "id" });
  }
  const [nodes, edges] = await Promise.all([
    attachVersions(deps, rows),
    findEdgesBetween(
      deps,
      rows.map((row) => row.id),
    ),
  ]);
  // Nodes past the requested depth were not asked for: only the node cap truncates a lineage graph.
  return { nodes, edges, truncated: overNodeCap };
};

export type TImpactReport = {
  versionId: string;
  root: TLineageNodeView | null;
  total: number;
  groups: { type: TLineageNodeType; count: number; nodes: TLineageNodeView[] }[];
  truncated: boolean;
};

/** Everything downstream of a dataset version, grouped by kind. */
export const findImpact = async (deps: TDeps, versionId: string): Promise<TImpactReport> => {
  const version = UUID.test(versionId)
    ? await deps.db.datasetVersion.findUnique({ where: { id: versionId }, select: { id: true } })
    : null;
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
  const node = await deps.db.lineageNode.findUnique({
    where: { type_refId: { type: "DATASET_VERSION", refId: versionId } },
    select: { id: true },
  });
  if (!node) return { versionId, root: null, total: 0, groups: [], truncated: false };

  const walked = await walk(deps, node.id, ["DOWNSTREAM"], IMPACT_MAX_DEPTH, IMPACT_MAX_NODES);
  const { rows } = walked;
  const nodes = await attachVersions(deps, rows);
  const root = nodes.find((candidate) => candidate.id === node.id) ?? null;
  const downstream = nodes.filter((candidate) => candidate.id !== node.id);
  const rank = (type: TLineageNodeType) => {
    const index = TYPE_ORDER.indexOf(type);
    return index === -1 ? TYPE_ORDER.length : index;
  };
  const types = [...new Set(downstream.map((candidate) => candidate.type))].sort((a, b) => rank(a) - rank(b));
  const groups = types.map((type) => {
    const members = downstream.filter((candidate) => candidate.type === type);
    return { type, count: members.length, nodes: members };
  });
  return {
    versionId,
    root,
    total: downstream.length,
    groups,
    truncated: walked.overNodeCap || walked.beyondDepth,
  };
};
