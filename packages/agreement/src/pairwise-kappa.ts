import {
  type TKappa,
  type TRatingsTable,
  type TUndefined,
  undefinedBecause,
  undefinedKappa,
} from "./agreement-types.ts";
import { contingencyOf, kappaFromContingency, type TCohenOptions } from "./cohen-kappa.ts";
import { encodeRatings, requireOrder } from "./ratings-table.ts";

export type TKappaPair = { raterA: number; raterB: number; kappa: TKappa };

export type TPairwiseKappa = {
  raters: number;
  /** One entry per unordered rater pair (a < b), in row-major order of the upper triangle. */
  pairs: TKappaPair[];
  /**
   * Light's kappa (Light 1971, "Measures of response agreement for qualitative data"): the mean of the
   * pairwise Cohen kappas, here over the pairs whose kappa is defined; null when none is.
   */
  meanKappa: number | null;
  /** Why `meanKappa` is null: the reason shared by the pairs, else NO_OVERLAP. */
  meanUndefined: TUndefined | null;
};

/**
 * Cohen's kappa for every pair of raters in an items x raters table, each over the items both rated.
 * The table is encoded once, so every pair uses the same scale and the same weights.
 */
export const pairwiseCohenKappa = (table: TRatingsTable, options: TCohenOptions = {}): TPairwiseKappa => {
  const weights = options.weights ?? "none";
  const encoded = encodeRatings(table, { categories: options.categories });
  if (weights !== "none") requireOrder(encoded, `${weights} weighted kappa`);
  const k = encoded.categories.length;
  const pairs: TKappaPair[] = [];
  for (let a = 0; a < encoded.raters; a++) {
    for (let b = a + 1; b < encoded.raters; b++) {
      const kappa =
        encoded.ratingCount === 0
          ? undefinedKappa("ALL_MISSING", 0)
          : kappaFromContingency(contingencyOf(encoded, a, b), k, weights);
      pairs.push({ raterA: a, raterB: b, kappa });
    }
  }
  const defined = pairs.flatMap((p) => (p.kappa.value === null ? [] : [p.kappa.value]));
  if (defined.length > 0) {
    return {
      raters: encoded.raters,
      pairs,
      meanKappa: defined.reduce((s, v) => s + v, 0) / defined.length,
      meanUndefined: null,
    };
  }
  const reasons = new Set(pairs.map((p) => p.kappa.reason));
  const [only] = reasons;
  const reason =
    encoded.ratingCount === 0
      ? "ALL_MISSING"
      : encoded.raters < 2
        ? "SINGLE_RATER"
        : reasons.size === 1 && only
          ? only
          : "NO_OVERLAP";
  return { raters: encoded.raters, pairs, meanKappa: null, meanUndefined: undefinedBecause(reason) };
};
