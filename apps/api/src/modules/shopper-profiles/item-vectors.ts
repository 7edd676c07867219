import type { TDeps } from "../../deps.ts";
import { embeddingDir, readVectors } from "../features/embedding-artifact.ts";
import { findEmbeddingSet } from "../features/features.service.ts";
import { findFeatureSet } from "../features/fusion.service.ts";
import { featureSetDir, readFusionArtifact } from "../features/fusion-artifact.ts";
import { ZFusionRecipe } from "../features/fusion-recipe.ts";
import type { TProfileParams } from "./profile-params.ts";

type TSource = NonNullable<TProfileParams["vectorSource"]>;

export type TItemVectors = {
  index: Map<string, number>;
  data: Float32Array;
  dimension: number;
  /** What the vectors are, for lineage. */
  ref: { type: TSource["type"]; id: string; label: string; catalogVersionId: string };
};

export type TItemVectorsResult = { ok: true; vectors: TItemVectors } | { ok: false; message: string };

/** The set's status and catalogue version, or why it cannot be used. */
const describeSource = async (deps: TDeps, source: TSource) => {
  if (source.type === "EMBEDDING_SET") {
    const set = await findEmbeddingSet(deps, source.id);
    if (!set) return null;
    return {
      status: set.status,
      catalogVersionId: set.sourceVersionId,
      location: set.location,
      label: `embeddings ${set.modelId}`,
    };
  }
  const set = await findFeatureSet(deps, source.id);
  if (!set) return null;
  const recipe = ZFusionRecipe.safeParse(set.recipe);
  return {
    status: set.status,
    catalogVersionId: recipe.success ? recipe.data.catalogVersionId : "",
    location: set.location,
    label: `features ${set.name} v${set.version}`,
  };
};

const name = (source: TSource) =>
  `${source.type === "EMBEDDING_SET" ? "embedding set" : "feature set"} ${source.id}`;

/** Checks that the vector source named in a profile set's params exists and has not FAILED. */
export const checkVectorSource = async (
  deps: TDeps,
  source: TSource,
): Promise<{ ok: true; catalogVersionId: string; ready: boolean } | { ok: false; message: string }> => {
  const found = await describeSource(deps, source);
  if (!found) return { ok: false, message: `vectorSource: ${name(source)} does not exist` };
  if (found.status === "FAILED") return { ok: false, message: `vectorSource: ${name(source)} FAILED` };
  return { ok: true, catalogVersionId: found.catalogVersionId, ready: found.status === "READY" };
};

/** Item id -> row of the vectors of a READY embedding or feature set (the first row of an item listed twice). */
export const loadItemVectors = async (deps: TDeps, source: TSource): Promise<TItemVectorsResult> => {
  const found = await describeSource(deps, source);
  if (!found) return { ok: false, message: `The ${name(source)} does not exist` };
  if (found.status !== "READY")
    return { ok: false, message: `The ${name(source)} is ${found.status}, not READY` };
  const loaded =
    source.type === "EMBEDDING_SET"
      ? await readVectors(found.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, source.id))
      : await readFusionArtifact(found.location ?? featureSetDir(deps.env.ARTIFACTS_DIR, source.id));
  if (!loaded) return { ok: false, message: `The ${name(source)} is READY but its artifact is missing` };
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
      ref: { type: source.type, id: source.id, label: found.label, catalogVersionId: found.catalogVersionId },
    },
  };
};
