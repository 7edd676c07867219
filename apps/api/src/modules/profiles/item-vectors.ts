import type { TDeps } from "../../deps.ts";
import { embeddingDir, readVectors } from "../features/embedding-artifact.ts";
import type { TProfileParams } from "./profile-params.ts";

export type TItemVectors = {
  index: Map<string, number>;
  data: Float32Array;
  dimension: number;
  /** What the vectors are, for lineage. */
  ref: { type: "EMBEDDING_SET"; id: string; label: string; catalogVersionId: string };
};

export type TItemVectorsResult = { ok: true; vectors: TItemVectors } | { ok: false; message: string };

/** Checks that the vector source named in a profile set's params exists and is READY. */
export const checkVectorSource = async (
  deps: TDeps,
  source: NonNullable<TProfileParams["vectorSource"]>,
): Promise<{ ok: true; catalogVersionId: string } | { ok: false; message: string }> => {
  const set = await deps.db.embeddingSet.findUnique({ where: { id: source.id } });
  if (!set) return { ok: false, message: `vectorSource: embedding set ${source.id} does not exist` };
  if (set.status === "FAILED") return { ok: false, message: `vectorSource: embedding set ${set.id} FAILED` };
  return { ok: true, catalogVersionId: set.sourceVersionId };
};

/** Item id -> row of the vectors of a READY embedding set (the first row of an item listed twice). */
export const loadItemVectors = async (
  deps: TDeps,
  source: NonNullable<TProfileParams["vectorSource"]>,
): Promise<TItemVectorsResult> => {
  const set = await deps.db.embeddingSet.findUnique({ where: { id: source.id } });
  if (!set) return { ok: false, message: `Embedding set ${source.id} does not exist` };
  if (set.status !== "READY")
    return { ok: false, message: `Embedding set ${set.id} is ${set.status}, not READY` };
  const loaded = await readVectors(set.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!loaded) return { ok: false, message: `Embedding set ${set.id} is READY but its artifact is missing` };
  const index = new Map<string, number>();
  loaded.ids.forEach((id, row) => {
    if (!index.has(id)) index.set(id, row);
  });
  return {
    ok: true,
    vectors: {
      index,
      data: loaded.data,
      dimension: loaded.manifest.dimension,
      ref: {
        type: "EMBEDDING_SET",
        id: set.id,
        label: `embeddings ${set.modelId}`,
        catalogVersionId: set.sourceVersionId,
      },
    },
  };
};
