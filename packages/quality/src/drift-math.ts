// Distribution-drift statistics over binned counts: bins come from the previous version (expected)
// and are counted in both versions by SQL; only the small table of bin counts reaches this code.

export type TBinCount = { bin: string; expected: number; actual: number };

// Empty bins would make ln(a/e) infinite; flooring proportions at 1e-4 is the usual PSI practice
// (e.g. Yurdakul 2018, "Statistical properties of population stability index").
export const PSI_EPSILON = 1e-4;

const proportions = (counts: number[]): number[] => {
  const total = counts.reduce((sum, n) => sum + n, 0);
  return counts.map((n) => Math.max(total > 0 ? n / total : 0, PSI_EPSILON));
};

/** Population stability index: sum over bins of (a - e) * ln(a / e), on proportions. */
export const populationStabilityIndex = (bins: TBinCount[]): number => {
  const expected = proportions(bins.map((bin) => bin.expected));
  const actual = proportions(bins.map((bin) => bin.actual));
  return expected.reduce((sum, e, i) => {
    const a = actual[i]!;
    return sum + (a - e) * Math.log(a / e);
  }, 0);
};

export type TChiSquare = { statistic: number; degreesOfFreedom: number; pValue: number };

/**
 * Pearson's goodness-of-fit test of the current counts against the previous version's proportions:
 * X^2 = sum (O - E)^2 / E with E = p_prev * N_current, df = bins - 1. Expected proportions are floored
 * like PSI's so a category new in this version counts as drift instead of dividing by zero.
 */
export const chiSquareTest = (bins: TBinCount[]): TChiSquare => {
  const expected = proportions(bins.map((bin) => bin.expected));
  const observedTotal = bins.reduce((sum, bin) => sum + bin.actual, 0);
  const expectedSum = expected.reduce((sum, p) => sum + p, 0);
  const statistic = bins.reduce((sum, bin, i) => {
    const e = (expected[i]! / expectedSum) * observedTotal;
    return e > 0 ? sum + (bin.actual - e) ** 2 / e : sum;
  }, 0);
  const degreesOfFreedom = Math.max(1, bins.length - 1);
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
};

/** P(X >= x) for X ~ chi-square(df) = Q(df/2, x/2), the regularised upper incomplete gamma. */
export const chiSquareSurvival = (x: number, df: number): number => {
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
};

// Lanczos approximation of ln Gamma (g = 671/128, 14 terms; Numerical Recipes 3rd ed., section 6.1,
// "gammln": relative error below 1e-15 for x > 0).
const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];
const logGamma = (x: number): number => {
  let y = x;
  const t = x + 5.2421875;
  let series = 0.9999999999999971;
  for (const c of LANCZOS) {
    y += 1;
    series += c / y;
  }
  return (x + 0.5) * Math.log(t) - t + Math.log((2.5066282746310007 * series) / x);
};

// Series for x < a + 1, Lentz continued fraction otherwise (Numerical Recipes 3rd ed., 6.2).
const regularizedGammaQ = (a: number, x: number): number => {
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
};
