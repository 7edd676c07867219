// Means of unequal variance (revenue per user): Welch's t-test with Welch-Satterthwaite degrees of freedom.
// Welch, B. L. (1947). "The generalization of 'Student's' problem when several different population
// variances are involved." Biometrika 34(1-2), 28-35; Satterthwaite, F. E. (1946), Biometrics Bulletin 2(6).
//   t = (mT - mC) / sqrt(sT^2/nT + sC^2/nC)
//   df = (sT^2/nT + sC^2/nC)^2 / ((sT^2/nT)^2/(nT-1) + (sC^2/nC)^2/(nC-1))
import { tQuantile, tTwoSided } from "./distributions.ts";
import { meanOf, type TMetricSummary, varianceOf } from "./metric-summary.ts";

export type TWelchTest = {
  /** mT - mC. */
  difference: number;
  interval: [number, number];
  t: number;
  df: number;
  pValue: number;
};

/** Interval of one mean: m +- t(df = n - 1) s / sqrt(n); the point itself below two users. */
export const meanInterval = (s: TMetricSummary, confidence = 0.95): [number, number] => {
  const mean = meanOf(s);
  if (s.n < 2) return [mean, mean];
  const half = tQuantile(1 - (1 - confidence) / 2, s.n - 1) * Math.sqrt(varianceOf(s) / s.n);
  return [mean - half, mean + half];
};

export const welchTTest = (
  control: TMetricSummary,
  treatment: TMetricSummary,
  confidence = 0.95,
): TWelchTest => {
  const difference = meanOf(treatment) - meanOf(control);
  if (control.n < 2 || treatment.n < 2) {
    return { difference, interval: [difference, difference], t: 0, df: 0, pValue: 1 };
  }
  const a = varianceOf(treatment) / treatment.n;
  const b = varianceOf(control) / control.n;
  const se = Math.sqrt(a + b);
  if (se === 0)
    return { difference, interval: [difference, difference], t: 0, df: 0, pValue: difference === 0 ? 1 : 0 };
  const df = (a + b) ** 2 / ((a * a) / (treatment.n - 1) + (b * b) / (control.n - 1));
  const t = difference / se;
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { difference, interval: [difference - half, difference + half], t, df, pValue: tTwoSided(t, df) };
};
