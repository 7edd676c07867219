import {
  AgreementInputError,
  type TCategory,
  type TLevel,
  type TRatingsTable,
  type TUndefinedReason,
  undefinedBecause,
} from "./agreement-types.ts";
import { countByItem, encodeRatings, numericValues, requireOrder, totalsByItem } from "./ratings-table.ts";

// Krippendorff's alpha by the coincidence matrix of Krippendorff (2011), "Computing Krippendorff's
// Alpha-Reliability", Annenberg School for Communication, Departmental Papers 43:
//   o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1)     over units u with m_u >= 2 values
//   n_c = sum_k o_ck,  n = sum_c n_c                    (pairable values)
//   Do = sum_ck o_ck d2_ck / n,  De = sum_ck n_c n_k d2_ck / (n (n - 1)),  alpha = 1 - Do / De
// Units with a single value cannot be paired and drop out; missing values need no imputation.

export type TAlphaOptions = {
  level?: TLevel;
  /** Full scale in order; required for ordinal alpha on string labels. */
  categories?: readonly TCategory[];
};

export type TAlpha = {
  /** null when undefined; `reason` and `message` then say why. */
  value: number | null;
  reason: TUndefinedReason | null;
  message: string | null;
  level: TLevel;
  /** Do; null when there is no pairable value. */
  observedDisagreement: number | null;
  /** De; null when there is no pairable value. */
  expectedDisagreement: number | null;
  /** Units with two or more values (the ones alpha uses). */
  units: number;
  /** n, the number of pairable values. */
  pairableValues: number;
  categories: TCategory[];
  /** o_ck, row-major k x k; sums to n. */
  coincidences: Float64Array;
};

/**
 * Squared differences d2_ck of Krippendorff (2011): nominal [c != k]; ordinal
 * (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 over scale ranks; interval (c - k)^2; ratio ((c - k)/(c + k))^2.
 */
export const differenceMatrix = (
  level: TLevel,
  values: Float64Array,
  marginals: Float64Array,
): Float64Array => {
  const k = marginals.length;
  const d2 = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let e = c + 1; e < k; e++) {
      let d: number;
      if (level === "nominal") d = 1;
      else if (level === "ordinal") {
        let between = 0;
        for (let g = c; g <= e; g++) between += marginals[g] as number;
        d = between - ((marginals[c] as number) + (marginals[e] as number)) / 2;
      } else {
        const x = values[c] as number;
        const y = values[e] as number;
        d = level === "interval" ? x - y : (x - y) / (x + y);
      }
      d2[c * k + e] = d * d;
      d2[e * k + c] = d * d;
    }
  }
  return d2;
};

/** Krippendorff's alpha of an items x raters table with missing values (null). */
export const krippendorffAlpha = (table: TRatingsTable, options: TAlphaOptions = {}): TAlpha => {
  const level = options.level ?? "nominal";
  const encoded = encodeRatings(table, { categories: options.categories });
  if (level === "ordinal") requireOrder(encoded, "ordinal alpha");
  const values =
    level === "interval" || level === "ratio"
      ? numericValues(encoded, `${level} alpha`)
      : new Float64Array(encoded.categories.length);
  if (level === "ratio" && values.some((v) => v < 0)) {
    throw new AgreementInputError(
      "ratio alpha needs non-negative labels (ratio scales have an absolute zero)",
    );
  }
  const k = encoded.categories.length;
  const coincidences = new Float64Array(k * k);
  const counts = countByItem(encoded);
  const totals = totalsByItem(counts, encoded.items, k);
  let units = 0;
  for (let u = 0; u < encoded.items; u++) {
    const m = totals[u] as number;
    if (m < 2) continue;
    units++;
    for (let c = 0; c < k; c++) {
      const nc = counts[u * k + c] as number;
      if (nc === 0) continue;
      for (let e = 0; e < k; e++) {
        const pairs = nc * ((counts[u * k + e] as number) - (c === e ? 1 : 0));
        coincidences[c * k + e] = (coincidences[c * k + e] as number) + pairs / (m - 1);
      }
    }
  }
  const marginals = new Float64Array(k);
  let n = 0;
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) marginals[c] = (marginals[c] as number) + (coincidences[c * k + e] as number);
    n += marginals[c] as number;
  }
  const base = { level, units, pairableValues: n, categories: encoded.categories, coincidences };
  const none = (
    reason: TUndefinedReason,
    observed: number | null = null,
    expected: number | null = null,
  ) => ({
    value: null,
    ...undefinedBecause(reason),
    observedDisagreement: observed,
    expectedDisagreement: expected,
    ...base,
  });
  if (encoded.ratingCount === 0) return none("ALL_MISSING");
  if (encoded.raters < 2) return none("SINGLE_RATER");
  if (units === 0) return none("NO_OVERLAP");

  const d2 = differenceMatrix(level, values, marginals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      const d = d2[c * k + e] as number;
      observed += (coincidences[c * k + e] as number) * d;
      expected += (marginals[c] as number) * (marginals[e] as number) * d;
    }
  }
  observed /= n;
  expected /= n * (n - 1);
  // De = 0 only when every pairable value is the same: no disagreement was possible (0/0).
  if (expected === 0) return none("ONE_CATEGORY", observed, 0);
  return {
    value: 1 - observed / expected,
    reason: null,
    message: null,
    observedDisagreement: observed,
    expectedDisagreement: expected,
    ...base,
  };
};
