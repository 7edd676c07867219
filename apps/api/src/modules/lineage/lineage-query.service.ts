import type { VersionStatus } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import {
  findEdgesAmong,
  findNodeOf,
  findVersionId,
  findVersionSummaries,
  type TWalkRow,
  walkLineage,
} from "./lineage.repository.ts";
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

const walk = async (
  deps: TDeps,
  start: string,
  directions: ("UPSTREAM" | "DOWNSTREAM")[],
  depth: number,
  maxNodes: number,
): Promise<{ rows: TWalkRow[]; overNodeCap: boolean; beyondDepth: boolean }> => {
  const all = await walkLineage(deps, { start, directions, depthLimit: depth + 1, rowLimit: maxNodes + 1 });
  // Rows one hop past the depth bound only tell that the graph goes on; they are not returned.
  const within = all.filter((row) => row.depth <= depth);
  return {
    rows: within.slice(0, maxNodes),
    overNodeCap: within.length > maxNodes,
    beyondDepth: within.length < all.length,
  };
};

const attachVersions = async (deps: TDeps, rows: TWalkRow[]): Promise<TLineageNodeView[]> => {
  const versionIds = rows
    .filter((row) => row.type === "DATASET_VERSION" && UUID.test(row.refId))
    .map((row) => row.refId);
  const versions = versionIds.length === 0 ? [] : await findVersionSummaries(deps, versionIds);
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

const findEdgesBetween = async (deps: TDeps, nodeIds: string[]): Promise<TLineageEdgeView[]> =>
  nodeIds.length === 0 ? [] : findEdgesAmong(deps, nodeIds);

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
  const version = UUID.test(versionId) ? await findVersionId(deps, versionId) : null;
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
  const node = await findNodeOf(deps, "DATASET_VERSION", versionId);
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
