// A metric measured once per user (the unit of randomisation), kept as sufficient statistics so that
// results can be computed from SQL aggregates without pulling users into Node.

export type TMetricSummary = {
  /** Users measured. */
  n: number;
  /** Sum of the per-user values. */
  sum: number;
  /** Sum of the squared per-user values. */
  sumSquares: number;
};

export const emptySummary = (): TMetricSummary => ({ n: 0, sum: 0, sumSquares: 0 });

export const addValue = (summary: TMetricSummary, value: number): void => {
  summary.n += 1;
  summary.sum += value;
  summary.sumSquares += value * value;
};

export const mergeSummaries = (a: TMetricSummary, b: TMetricSummary): TMetricSummary => ({
  n: a.n + b.n,
  sum: a.sum + b.sum,
  sumSquares: a.sumSquares + b.sumSquares,
});

export const meanOf = (s: TMetricSummary): number => (s.n > 0 ? s.sum / s.n : 0);

/** Unbiased sample variance (n - 1 denominator); 0 for fewer than two users. */
export const varianceOf = (s: TMetricSummary): number => {
  if (s.n < 2) return 0;
  const mean = s.sum / s.n;
  // max(0, ...) absorbs the rounding of sumSquares - n mean^2 when every value is equal.
  return Math.max(0, (s.sumSquares - s.n * mean * mean) / (s.n - 1));
};

export const summaryOfValues = (values: readonly number[]): TMetricSummary => {
  const summary = emptySummary();
  for (const value of values) addValue(summary, value);
  return summary;
};
