// Distribution functions from the stdlib project (https://stdlib.io), a tested numerical library:
// the normal CDF and quantile, Student's t CDF and quantile (regularised incomplete beta), and the
// chi-square CDF (regularised incomplete gamma). Upper tails are taken by symmetry where possible so
// small p-values are not lost to 1 - cdf rounding.
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdfStd from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileStd from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantileStd from "@stdlib/stats-base-dists-t-quantile";

/** P(Z <= z) for a standard normal Z. */
export const normalCdf = (z: number): number => normalCdfStd(z, 0, 1);

/** The z with P(Z <= z) = p. */
export const normalQuantile = (p: number): number => normalQuantileStd(p, 0, 1);

/** Two-sided p-value of a standard normal statistic. */
export const normalTwoSided = (z: number): number => Math.min(1, 2 * normalCdfStd(-Math.abs(z), 0, 1));

/** Two-sided p-value of a Student t statistic with `df` degrees of freedom (df may be fractional). */
export const tTwoSided = (t: number, df: number): number => Math.min(1, 2 * tCdf(-Math.abs(t), df));

/** The t with P(T <= t) = p for `df` degrees of freedom. */
export const tQuantile = (p: number, df: number): number => tQuantileStd(p, df);

/** P(X > x) for a chi-square variable with `df` degrees of freedom. */
export const chiSquareUpper = (x: number, df: number): number => Math.max(0, 1 - chisquareCdf(x, df));
