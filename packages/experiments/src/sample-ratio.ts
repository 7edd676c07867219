// Sample-ratio mismatch: are the users per variant consistent with the configured shares?
// Pearson's chi-square goodness-of-fit test, df = variants - 1. A mismatch is flagged below
// p = 0.001, the threshold of Kohavi, Tang & Xu (2020), "Trustworthy Online Controlled Experiments",
// Cambridge University Press, chapter 21; Fabijan et al. (2019), "Diagnosing Sample Ratio Mismatch in
// Online Controlled Experiments", KDD '19, describe why (lost logging, redirects, bots) it voids results.
import { chiSquareUpper } from "./distributions.ts";

export const SRM_P_THRESHOLD = 0.001;

export type TSampleRatioCheck = {
  chiSquare: number;
  df: number;
  pValue: number;
  /** Users expected per variant from the shares. */
  expected: number[];
  mismatch: boolean;
};

export const checkSampleRatio = (
  observed: readonly number[],
  shares: readonly number[],
): TSampleRatioCheck => {
  if (observed.length !== shares.length) {
    throw new RangeError(`${observed.length} observed counts for ${shares.length} shares`);
  }
  const total = observed.reduce((sum, count) => sum + count, 0);
  const expected = shares.map((share) => share * total);
  let chiSquare = 0;
  let df = -1;
  observed.forEach((count, v) => {
    const e = expected[v]!;
    if (e > 0) {
      chiSquare += (count - e) ** 2 / e;
      df += 1;
    } else if (count > 0) {
      // Users in a variant with no share: a mismatch however few.
      chiSquare = Number.POSITIVE_INFINITY;
    }
  });
  if (total === 0 || df < 1)
    return { chiSquare: 0, df: Math.max(df, 0), pValue: 1, expected, mismatch: false };
  const pValue = Number.isFinite(chiSquare) ? chiSquareUpper(chiSquare, df) : 0;
  return { chiSquare, df, pValue, expected, mismatch: pValue < SRM_P_THRESHOLD };
};
