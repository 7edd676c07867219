import type { TProfileData } from "./profile-artifact.ts";
import type { TSegmentFeatureWeights } from "./segment-params.ts";

export type TSegmentMatrix = { data: Float64Array; rows: number; cols: number; columns: string[] };

const columnsWith = (names: string[], prefix: string) =>
  names.flatMap((name, i) => (name.startsWith(prefix) ? [i] : []));

/**
 * The matrix a segmentation clusters: the chosen blocks of the profile features, scaled as
 * described in segment-params.ts. Throws when every chosen block is empty or all weights are 0.
 */
export const buildSegmentMatrix = (
  profile: TProfileData,
  weights: TSegmentFeatureWeights,
): TSegmentMatrix => {
  const { manifest, features } = profile;
  const n = manifest.count;
  const width = manifest.features.length;
  type TBlock = { name: string; columns: number[]; kind: "share" | "standardise" | "vector"; weight: number };
  const all: TBlock[] = [
    {
      name: "category",
      columns: columnsWith(manifest.features, "category."),
      kind: "share",
      weight: weights.categories,
    },
    { name: "band", columns: columnsWith(manifest.features, "band."), kind: "share", weight: weights.bands },
    {
      name: "events",
      columns: columnsWith(manifest.features, "events."),
      kind: "standardise",
      weight: weights.eventTypes,
    },
    {
      name: "rfm",
      columns: columnsWith(manifest.features, "rfm."),
      kind: "standardise",
      weight: weights.rfm,
    },
    {
      name: "vector",
      columns: Array.from({ length: manifest.vectorDimension }, (_, j) => j),
      kind: "vector",
      weight: weights.vector,
    },
  ];
  const blocks = all.filter((block) => block.weight > 0 && block.columns.length > 0);
  if (blocks.length === 0) {
    throw new Error(
      "no profile features to cluster: every weighted block is empty (is there a catalogue with categories, or item vectors?)",
    );
  }
  const cols = blocks.reduce((sum, block) => sum + block.columns.length, 0);
  const data = new Float64Array(n * cols);
  const columns: string[] = [];
  let offset = 0;
  for (const block of blocks) {
    const scale = block.weight / Math.sqrt(block.columns.length);
    if (block.kind === "vector") {
      const d = manifest.vectorDimension;
      for (let u = 0; u < n; u++) {
        let norm = 0;
        for (let j = 0; j < d; j++) norm += profile.vectors[u * d + j]! ** 2;
        const inv = norm > 0 ? block.weight / Math.sqrt(norm) : 0;
        for (let j = 0; j < d; j++) data[u * cols + offset + j] = profile.vectors[u * d + j]! * inv;
      }
      columns.push(...block.columns.map((j) => `vector.${j}`));
    } else {
      block.columns.forEach((source, c) => {
        let mean = 0;
        let sq = 0;
        if (block.kind === "standardise") {
          for (let u = 0; u < n; u++) mean += Math.log1p(Math.max(0, features[u * width + source]!));
          mean /= n;
          for (let u = 0; u < n; u++)
            sq += (Math.log1p(Math.max(0, features[u * width + source]!)) - mean) ** 2;
        }
        const sd = Math.sqrt(sq / Math.max(1, n - 1)) || 1;
        for (let u = 0; u < n; u++) {
          const raw = features[u * width + source]!;
          const value = block.kind === "share" ? raw : (Math.log1p(Math.max(0, raw)) - mean) / sd;
          data[u * cols + offset + c] = value * scale;
        }
        columns.push(manifest.features[source]!);
      });
    }
    offset += block.columns.length;
  }
  return { data, rows: n, cols, columns };
};
