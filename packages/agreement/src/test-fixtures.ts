import type { TRating } from "./agreement-types.ts";

// Published examples shared by several test files (test-only; not exported by the package).

// The worked example of Fleiss' kappa on Wikipedia ("Fleiss' kappa", Worked example): 10 items,
// 14 raters each, 5 categories, as items x categories counts. Published: Pbar = 0.378, Pe = 0.213,
// kappa = 0.210, and p_j = 0.143, 0.200, 0.279, 0.150, 0.229.
export const WIKIPEDIA_COUNTS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** Turns counts back into an items x raters table (which rater gave which label does not matter to Fleiss). */
export const tableFromCounts = (counts: number[][], labels: TRating[]): TRating[][] =>
  counts.map((row) => row.flatMap((n, j) => Array.from({ length: n }, () => labels[j] ?? null)));
