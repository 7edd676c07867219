import {
  AgreementInputError,
  type TCategory,
  type TKappa,
  type TRatingsTable,
  type TUndefinedReason,
  undefinedKappa,
} from "./agreement-types.ts";
import { countByItem, encodeRatings, totalsByItem } from "./ratings-table.ts";

// Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychological
// Bulletin 76(5)): N items each rated by the same number m of raters (not necessarily the same people).
//   P_i  = (sum_j n_ij^2 - m) / (m (m - 1))      agreement among the m(m-1) ordered rater pairs of item i
//   Pbar = mean_i P_i,  p_j = sum_i n_ij / (N m),  Pe = sum_j p_j^2
//   kappa = (Pbar - Pe) / (1 - Pe)

const EPS = 1e-12;

/**
 * What to do when items carry different numbers of ratings, which the 1971 formula does not allow:
 * - "modal" (default): keep only the items with the most common count m (ties go to the larger m, the
 *   one that compares more ratings per item) and report how many were left out;
 * - "error": throw AgreementInputError naming the first item whose count differs.
 * Items with no rating at all are ignored under both policies. Krippendorff's alpha uses every item
 * with two or more ratings and is the statistic to prefer for incomplete designs.
 */
export type TRaterCountPolicy = "modal" | "error";

export type TFleissOptions = { unequalRaters?: TRaterCountPolicy };

export type TFleissKappa = TKappa & {
  /** m, the ratings per item used; null when no item qualified. */
  ratersPerItem: number | null;
  /** Rated items left out because their number of ratings differed from m. */
  itemsExcluded: number;
  categories: TCategory[];
  /** p_j, the share of all used ratings in each category (Fleiss 1971, eq. 2). */
  categoryProportions: Float64Array;
};

export type TItemSelection =
  | { ok: true; m: number; use: Uint8Array; used: number; excluded: number }
  | { ok: false; reason: TUndefinedReason };

/** Picks the items Fleiss' formula may use under `policy` (see TRaterCountPolicy). */
export const selectFleissItems = (totals: Float64Array, policy: TRaterCountPolicy): TItemSelection => {
  const frequency = new Map<number, number>();
  let rated = false;
  for (const t of totals) {
    if (t > 0) rated = true;
    if (t >= 2) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  }
  if (!rated) return { ok: false, reason: "ALL_MISSING" };
  let m = 0;
  let best = 0;
  for (const [count, times] of frequency) {
    if (times > best || (times === best && count > m)) [m, best] = [count, times];
  }
  if (m === 0) return { ok: false, reason: "NO_OVERLAP" };
  const use = new Uint8Array(totals.length);
  let excluded = 0;
  totals.forEach((t, i) => {
    if (t === m) use[i] = 1;
    else if (t > 0) {
      if (policy === "error") {
        throw new AgreementInputError(
          `item ${i} has ${t} ratings but most items have ${m}; Fleiss' kappa needs the same number per item`,
          { item: i },
        );
      }
      excluded++;
    }
  });
  return { ok: true, m, use, used: best, excluded };
};

/** Fleiss' kappa from per-item category counts (`counts[i * k + j]` = n_ij), row-major. */
export const fleissFromCounts = (
  counts: Float64Array,
  items: number,
  categories: TCategory[],
  policy: TRaterCountPolicy = "modal",
): TFleissKappa => {
  const k = categories.length;
  const proportions = new Float64Array(k);
  const selection = selectFleissItems(totalsByItem(counts, items, k), policy);
  if (!selection.ok) {
    return {
      ...undefinedKappa(selection.reason, 0),
      ratersPerItem: null,
      itemsExcluded: 0,
      categories,
      categoryProportions: proportions,
    };
  }
  const { m, use, used, excluded } = selection;
  let sumP = 0;
  for (let i = 0; i < items; i++) {
    if (use[i] !== 1) continue;
    let squares = 0;
    for (let j = 0; j < k; j++) {
      const n = counts[i * k + j] as number;
      squares += n * n;
      proportions[j] = (proportions[j] as number) + n;
    }
    sumP += (squares - m) / (m * (m - 1));
  }
  let expected = 0;
  for (let j = 0; j < k; j++) {
    const p = (proportions[j] as number) / (used * m);
    proportions[j] = p;
    expected += p * p;
  }
  const observed = sumP / used;
  const extra = { ratersPerItem: m, itemsExcluded: excluded, categories, categoryProportions: proportions };
  if (expected >= 1 - EPS) return { ...undefinedKappa("ONE_CATEGORY", used, observed, 1), ...extra };
  return {
    value: (observed - expected) / (1 - expected),
    reason: null,
    message: null,
    observedAgreement: observed,
    expectedAgreement: expected,
    items: used,
    ...extra,
  };
};

/** Fleiss' kappa of an items x raters table (nominal labels; see TRaterCountPolicy for unequal counts). */
export const fleissKappa = (table: TRatingsTable, options: TFleissOptions = {}): TFleissKappa => {
  const encoded = encodeRatings(table);
  const counts = countByItem(encoded);
  const result = fleissFromCounts(counts, encoded.items, encoded.categories, options.unequalRaters);
  // With one rater column every item has at most one rating; say so rather than "no overlap".
  if (encoded.raters < 2 && encoded.ratingCount > 0)
    return { ...result, ...undefinedKappa("SINGLE_RATER", 0) };
  return result;
};

/**
 * Fleiss' kappa from an items x categories table of counts, the layout of Fleiss (1971) and of most
 * published examples; category j is named by its column index.
 */
export const fleissKappaFromCounts = (
  counts: ReadonlyArray<ReadonlyArray<number>>,
  options: TFleissOptions = {},
): TFleissKappa => {
  const k = counts[0]?.length ?? 0;
  const cells = new Float64Array(counts.length * k);
  counts.forEach((row, i) => {
    if (row.length !== k)
      throw new AgreementInputError(`item ${i} has ${row.length} counts, expected ${k}`, { item: i });
    row.forEach((n, j) => {
      if (!Number.isInteger(n) || n < 0) {
        throw new AgreementInputError(`item ${i}, category ${j}: ${n} is not a count`, { item: i });
      }
      cells[i * k + j] = n;
    });
  });
  const categories = Array.from({ length: k }, (_, j) => j);
  return fleissFromCounts(cells, counts.length, categories, options.unequalRaters);
};
