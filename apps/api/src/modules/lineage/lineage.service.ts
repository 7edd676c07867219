import type { TDeps } from "../../deps.ts";
import { findNodesByRefIds, upsertLineageEdge, upsertLineageNode } from "./lineage.repository.ts";

export type TLineageNodeType =
  | "FILE"
  | "DATASET_VERSION"
  | "EMBEDDING_SET"
  | "FEATURE_SET"
  | "PROFILE_SET"
  | "SEGMENT_SET"
  | "MODEL_VERSION"
  | "LABEL_PROJECT"
  | "IMAGE_SET"
  | "SEARCH_INDEX";

export type TNodeRef = {
  type: TLineageNodeType;
  refId: string;
  label: string;
  metadata?: Record<string, unknown>;
};

/** Upserts a lineage node for an entity (one node per (type, refId)) and returns its id. */
export const ensureLineageNode = (deps: TDeps, ref: TNodeRef): Promise<string> =>
  upsertLineageNode(deps, ref);

/**
 * Records that `to` was made from each of `from` by a job. Idempotent (edges are unique per
 * from/to/relation), so a re-run job records nothing twice.
 */
export const recordLineage = async (
  deps: TDeps,
  input: { from: TNodeRef[]; to: TNodeRef; jobId?: string | null; relation?: string },
): Promise<void> => {
  const toId = await ensureLineageNode(deps, input.to);
  const relation = input.relation ?? "derived_from";
  for (const from of input.from) {
    const fromId = await ensureLineageNode(deps, from);
    await upsertLineageEdge(deps, { fromId, toId, relation, jobId: input.jobId ?? null });
  }
};

/** The lineage nodes of these entity ids (any type), by entity id: how other areas name an entity. */
export const findNodeLabels = async (
  deps: TDeps,
  refIds: string[],
): Promise<Map<string, { type: TLineageNodeType; label: string }>> => {
  if (refIds.length === 0) return new Map();
  const nodes = await findNodesByRefIds(deps, refIds);
  return new Map(
    nodes.map((node) => [node.refId, { type: node.type as TLineageNodeType, label: node.label }]),
  );
};
