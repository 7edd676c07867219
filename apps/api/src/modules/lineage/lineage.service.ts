import { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";

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
export const ensureLineageNode = async (deps: TDeps, ref: TNodeRef): Promise<string> => {
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
    await upsertOnce(() =>
      deps.db.lineageEdge.upsert({
        where: { fromId_toId_relation: { fromId, toId, relation } },
        create: { fromId, toId, relation, jobId: input.jobId ?? null },
        update: {},
      }),
    );
  }
};

/** The lineage nodes of these entity ids (any type), by entity id: how other areas name an entity. */
export const findNodeLabels = async (
  deps: TDeps,
  refIds: string[],
): Promise<Map<string, { type: TLineageNodeType; label: string }>> => {
  if (refIds.length === 0) return new Map();
  const nodes = await deps.db.lineageNode.findMany({
    where: { refId: { in: refIds } },
    select: { refId: true, type: true, label: true },
  });
  return new Map(
    nodes.map((node) => [node.refId, { type: node.type as TLineageNodeType, label: node.label }]),
  );
};
