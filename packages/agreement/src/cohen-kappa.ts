import {
  AgreementInputError,
  type TCategory,
  type TKappa,
  type TRating,
  type TWeights,
  undefinedKappa,
} from "./agreement-types.ts";
import { encodeRatings, requireOrder, type TEncodedRatings } from "./ratings-table.ts";

// Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales") and weighted kappa
// (Cohen 1968, "Weighted kappa"), both as kappa = (Po - Pe) / (1 - Pe) over a k x k contingency table
// of the two raters' labels, with Po = sum_ij w_ij p_ij and Pe = sum_ij w_ij p_i. p_.j.

// Pe is a sum of products of proportions; with a single category it is 1 up to rounding.
const EPS = 1e-12;

/**
 * Agreement weight w_ij between scale positions i and j on a k-point scale: identity for unweighted
 * kappa, 1 - |i-j|/(k-1) for linear (Cicchetti & Allison 1971) and 1 - (i-j)^2/(k-1)^2 for quadratic
 * weights (Fleiss & Cohen 1973). Positions are indices in the scale, not label values.
 */
export const agreementWeight = (i: number, j: number, k: number, weights: TWeights): number => {
  if (i === j) return 1;
  if (weights === "none" || k < 2) return 0;
  const d = Math.abs(i - j) / (k - 1);
  return weights === "linear" ? 1 - d : 1 - d * d;
};

/** Kappa of a k x k contingency table given row-major (`table[a * k + b]` = items rater A put in a, B in b). */
export const kappaFromContingency = (table: Float64Array, k: number, weights: TWeights = "none"): TKappa => {
  let n = 0;
  for (const cell of table) n += cell;
  if (n === 0) return undefinedKappa("NO_OVERLAP", 0);
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const cell = table[a * k + b] as number;
      rows[a] = (rows[a] as number) + cell;
      cols[b] = (cols[b] as number) + cell;
    }
  }
  let observed = 0;
  let expected = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const w = agreementWeight(a, b, k, weights);
      if (w === 0) continue;
      observed += (w * (table[a * k + b] as number)) / n;
      expected += (w * (rows[a] as number) * (cols[b] as number)) / (n * n);
    }
  }
  if (expected >= 1 - EPS) return undefinedKappa("ONE_CATEGORY", n, observed, 1);
  return {
    value: (observed - expected) / (1 - expected),
    reason: null,
    message: null,
    observedAgreement: observed,
    expectedAgreement: expected,
    items: n,
  };
};

/** Contingency table of raters `a` and `b` over the items both rated (pairwise deletion of missing). */
export const contingencyOf = (encoded: TEncodedRatings, a: number, b: number): Float64Array => {
  const k = encoded.categories.length;
  const table = new Float64Array(k * k);
  for (let i = 0; i < encoded.items; i++) {
    const x = encoded.codes[i * encoded.raters + a] as number;
    const y = encoded.codes[i * encoded.raters + b] as number;
    if (x >= 0 && y >= 0) table[x * k + y] = (table[x * k + y] as number) + 1;
  }
  return table;
};

export type TCohenOptions = {
  weights?: TWeights;
  /** Full scale in order; see TEncodeOptions. Required for weighted kappa on string labels. */
  categories?: readonly TCategory[];
};

/**
 * Cohen's kappa between two raters' labels for the same items (`a[i]`, `b[i]`); items either rater
 * left null are skipped. Undefined (value null) when nothing is left (ALL_MISSING / NO_OVERLAP) or
 * when both raters used one and the same category throughout (ONE_CATEGORY).
 */
export const cohenKappa = (
  a: readonly TRating[],
  b: readonly TRating[],
  options: TCohenOptions = {},
): TKappa => {
  if (a.length !== b.length) {
    throw new AgreementInputError(
      `the two raters label ${a.length} and ${b.length} items; give one entry per item`,
    );
  }
  const weights = options.weights ?? "none";
  const encoded = encodeRatings(
    a.map((x, i) => [x, b[i] ?? null]),
    { categories: options.categories },
  );
  if (weights !== "none") requireOrder(encoded, `${weights} weighted kappa`);
  if (encoded.ratingCount === 0) return undefinedKappa("ALL_MISSING", 0);
  return kappaFromContingency(contingencyOf(encoded, 0, 1), encoded.categories.length, weights);
};

/** Cohen's kappa from a square table of counts (`table[a][b]`, rows rater A, columns rater B, scale order). */
export const cohenKappaFromTable = (
  table: ReadonlyArray<ReadonlyArray<number>>,
  weights: TWeights = "none",
): TKappa => {
  const k = table.length;
  const cells = new Float64Array(k * k);
  table.forEach((row, a) => {
    if (row.length !== k)
      throw new AgreementInputError(`row ${a} has ${row.length} cells, expected ${k}`, { item: a });
    row.forEach((count, b) => {
      if (!Number.isFinite(count) || count < 0) {
        throw new AgreementInputError(`cell [${a}][${b}]: ${count} is not a count`, { item: a, rater: b });
      }
      cells[a * k + b] = count;
    });
  });
  if (cells.every((c) => c === 0)) return undefinedKappa("ALL_MISSING", 0);
  return kappaFromContingency(cells, k, weights);
};
