import type { TVersionProfile } from "../column-stats/profile-schema.ts";
import type { TVersionMasker } from "./pii-masking.service.ts";

/**
 * A profile as a caller without pii:read sees it: a tagged column keeps its counts and lengths, its top
 * values and min/max are masked, and its quantiles, histogram, mean and deviation are dropped (discrete
 * quantiles and the first bin's lower bound are actual values of someone's row).
 */
export const maskVersionProfile = (profile: TVersionProfile, masker: TVersionMasker): TVersionProfile => ({
  ...profile,
  columns: profile.columns.map((column) =>
    masker.columns.has(column.name)
      ? {
          ...column,
          min: masker.cell(column.name, column.min),
          max: masker.cell(column.name, column.max),
          mean: null,
          stddev: null,
          quantiles: [],
          histogram: [],
          topValues: column.topValues.map((t) => ({
            value: masker.cell(column.name, t.value) ?? "",
            count: t.count,
          })),
        }
      : column,
  ),
});
