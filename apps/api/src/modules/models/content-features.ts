// Reads a model's item features for training: a READY feature set's vectors with the blocks the
// fusion job recorded, and where its popularity feature sits (so evaluation can rebuild it from the
// training split, content-fitting.ts).
import type { TDeps } from "../../deps.ts";
import { readFeatureSetVectors } from "../features/fusion.service.ts";
import type { TContentFeatures } from "./content-fitting.ts";

export type TContentFeaturesResult =
  | { ok: true; features: TContentFeatures; label: string }
  | { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED"; message: string };

export const readContentFeatures = async (
  deps: TDeps,
  featureSetId: string,
): Promise<TContentFeaturesResult> => {
  const read = await readFeatureSetVectors(deps, featureSetId);
  if (!read.ok) return read;
  const { manifest, ids, data, set } = read.vectors;
  const numeric = manifest.blocks.find((block) => block.name === "numeric");
  const at = manifest.numeric.findIndex((stat) => stat.name === "popularity");
  const stat = manifest.numeric[at];
  return {
    ok: true,
    label: `features ${set.name} v${set.version}`,
    features: {
      setId: set.id,
      source: "FEATURE_SET",
      ids,
      data,
      dimension: manifest.dimension,
      blocks: manifest.blocks.map(({ name, offset, width }) => ({ name, offset, width })),
      popularity:
        numeric && stat && numeric.width > 0
          ? {
              column: numeric.offset + at,
              mean: stat.mean,
              sd: stat.sd,
              scale: numeric.weight / Math.sqrt(numeric.width),
            }
          : null,
    },
  };
};
