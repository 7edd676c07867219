import type { TCategory, TRatingsTable } from "./agreement-types.ts";
import { selectFleissItems, type TFleissOptions } from "./fleiss-kappa.ts";
import { countByItem, encodeRatings, totalsByItem } from "./ratings-table.ts";

export type TCategoryAgreement = {
  category: TCategory;
  /** Ratings with this label anywhere in the table. */
  ratings: number;
  /**
   * Specific agreement p_s(j) = sum_i n_ij (n_ij - 1) / sum_i n_ij (n_i - 1) over items with two or more
   * ratings: given that one rater chose j, the chance another rater of the same item did too
   * (Uebersax 1982; for two raters 2a / (2a + b + c), the positive agreement of Spitzer & Fleiss 1974).
   * Works with any number of ratings per item; null when j never occurs on such an item.
   */
  specificAgreement: number | null;
  /**
   * Fleiss' (1971) kappa of category j against all others,
   *   kappa_j = 1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j),
   * on the items Fleiss' kappa uses (see TRaterCountPolicy); null when p_j is 0 or 1 there.
   */
  kappa: number | null;
};

export type TCategoryAgreementResult = {
  rows: TCategoryAgreement[];
  /** Items with two or more ratings (used by specific agreement). */
  pairableItems: number;
  /** N and m of the per-category kappas; null when Fleiss' selection is empty. */
  kappaItems: number | null;
  ratersPerItem: number | null;
};

/** Per-label agreement of an items x raters table: specific agreement and per-category Fleiss kappa. */
export const categoryAgreement = (
  table: TRatingsTable,
  options: TFleissOptions & { categories?: readonly TCategory[] } = {},
): TCategoryAgreementResult => {
  const encoded = encodeRatings(table, { categories: options.categories });
  const k = encoded.categories.length;
  const counts = countByItem(encoded);
  const totals = totalsByItem(counts, encoded.items, k);
  const selection = selectFleissItems(totals, options.unequalRaters ?? "modal");
  let pairableItems = 0;
  for (const t of totals) if (t >= 2) pairableItems++;

  const rows = encoded.categories.map((category, j): TCategoryAgreement => {
    let ratings = 0;
    let agreeing = 0;
    let possible = 0;
    let spread = 0;
    let inSelection = 0;
    for (let i = 0; i < encoded.items; i++) {
      const n = counts[i * k + j] as number;
      const t = totals[i] as number;
      ratings += n;
      if (t >= 2) {
        agreeing += n * (n - 1);
        possible += n * (t - 1);
      }
      if (selection.ok && selection.use[i] === 1) {
        spread += n * (selection.m - n);
        inSelection += n;
      }
    }
    let kappa: number | null = null;
    if (selection.ok) {
      const { m, used } = selection;
      const p = inSelection / (used * m);
      if (p > 0 && p < 1) kappa = 1 - spread / (used * m * (m - 1) * p * (1 - p));
    }
    return { category, ratings, specificAgreement: possible > 0 ? agreeing / possible : null, kappa };
  });
  return {
    rows,
    pairableItems,
    kappaItems: selection.ok ? selection.used : null,
    ratersPerItem: selection.ok ? selection.m : null,
  };
};
