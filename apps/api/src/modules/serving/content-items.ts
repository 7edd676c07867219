// A content model (CONTENT_RIDGE) scores any item with features, so when it is loaded the rows its
// feature set gained after training (features.extend: items of newer catalogue versions) are appended
// to its items: zero popularity, their features as item vectors. Nothing is retrained.
import type { TModelArtifact } from "@dam/recsys/model-artifact";
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { readFeatureSetVectors } from "../features/fusion.service.ts";

export type TContentItems = {
  artifact: TModelArtifact;
  /** Catalogue versions that added items to the feature set since it was built (for their titles). */
  catalogVersionIds: string[];
  /** Items appended at this load. */
  added: number;
};

export const withFeatureSetItems = async (deps: TDeps, artifact: TModelArtifact): Promise<TContentItems> => {
  const { content, factors } = artifact;
  // Only CONTENT_RIDGE: a HYBRID's other parts have no row for an item nobody interacted with.
  if (!content || !factors || content.source !== "FEATURE_SET" || artifact.algorithm !== "CONTENT_RIDGE") {
    return { artifact, catalogVersionIds: [], added: 0 };
  }
  const read = await readFeatureSetVectors(deps, content.featureSetId);
  if (!read.ok) {
    // The model still serves the items it was trained with.
    logger.warn("content model: its feature set cannot be read; new items are not added", {
      featureSetId: content.featureSetId,
      error: read.message,
    });
    return { artifact, catalogVersionIds: [], added: 0 };
  }
  const { ids, data, manifest } = read.vectors;
  const catalogVersionIds = (manifest.extensions ?? []).map((extension) => extension.catalogVersionId);
  if (manifest.dimension !== factors.dim) {
    logger.warn("content model: its feature set has another dimension; new items are not added", {
      featureSetId: content.featureSetId,
      model: factors.dim,
      set: manifest.dimension,
    });
    return { artifact, catalogVersionIds, added: 0 };
  }
  const known = new Set(artifact.itemIds);
  const rows: number[] = [];
  ids.forEach((id, row) => {
    if (!known.has(id)) {
      known.add(id);
      rows.push(row);
    }
  });
  if (rows.length === 0) return { artifact, catalogVersionIds, added: 0 };
  const dim = factors.dim;
  const n = artifact.itemIds.length;
  const item = new Float32Array((n + rows.length) * dim);
  item.set(factors.item);
  rows.forEach((row, r) => {
    item.set(data.subarray(row * dim, (row + 1) * dim), (n + r) * dim);
  });
  const popularity = new Float32Array(n + rows.length);
  popularity.set(artifact.popularity);
  return {
    artifact: {
      ...artifact,
      itemIds: [...artifact.itemIds, ...rows.map((row) => ids[row]!)],
      popularity,
      factors: { ...factors, item },
    },
    catalogVersionIds,
    added: rows.length,
  };
};
