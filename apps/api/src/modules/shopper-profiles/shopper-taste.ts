// A shopper's taste in the terms other areas re-rank by (search personalisation): the profile vector
// (in the space of the profile set's item vectors) and the shopper's segment's affinity to each
// category. Pure: the service (shopper-taste.service.ts) reads the artifacts.
import { shareAffinity } from "@dam/search/personalization";
import type { TProfileData } from "./profile-artifact.ts";

const CATEGORY_PREFIX = "category.";

/**
 * Affinity of one segment to each category of a profile set: the members' mean share of events in
 * the category against all users' mean share, as (s - p) / (s + p) in [-1, 1] (shareAffinity).
 * `labels` gives each profile row's segment (-1 = none).
 */
export const segmentCategoryAffinities = (
  profile: Pick<TProfileData, "manifest" | "features">,
  labels: ArrayLike<number>,
  segment: number,
): Map<string, number> => {
  const { features: names } = profile.manifest;
  const width = names.length;
  const columns = names.flatMap((name, c) =>
    name.startsWith(CATEGORY_PREFIX) ? [[name.slice(CATEGORY_PREFIX.length), c] as const] : [],
  );
  const groupSum = new Float64Array(columns.length);
  const allSum = new Float64Array(columns.length);
  let members = 0;
  const rows = profile.manifest.count;
  for (let u = 0; u < rows; u++) {
    const inGroup = labels[u] === segment;
    if (inGroup) members++;
    columns.forEach(([, c], k) => {
      const value = profile.features[u * width + c]!;
      allSum[k]! += value;
      if (inGroup) groupSum[k]! += value;
    });
  }
  const out = new Map<string, number>();
  if (members === 0 || rows === 0) return out;
  columns.forEach(([category], k) => {
    out.set(category, shareAffinity(groupSum[k]! / members, allSum[k]! / rows));
  });
  return out;
};

/** The profile vector of row `u`, or null when it is all zeros (no event touched an item with a vector). */
export const profileVectorOf = (profile: TProfileData, u: number): Float32Array | null => {
  const d = profile.manifest.vectorDimension;
  if (d === 0) return null;
  const vector = profile.vectors.subarray(u * d, (u + 1) * d);
  return vector.some((x) => x !== 0) ? vector : null;
};
