// Always-valid inference for the difference of two means (rates are means of 0/1 values): the mixture
// sequential probability ratio test (mSPRT) with a normal mixing distribution.
//
// Johari, R., Koomen, P., Pekelis, L. & Walsh, D. (2017). "Peeking at A/B Tests: Why it matters, and
// what to do about it." KDD '17; Johari, Pekelis & Walsh (2022), "Always Valid Inference: Continuous
// Monitoring of A/B Tests", Operations Research 70(3). With theta^ the observed difference, v its
// variance (sC^2/nC + sT^2/nT) and tau^2 the mixing variance, the mixture likelihood ratio against
// H0: theta = 0 is
//   Lambda = sqrt(v / (v + tau^2)) exp( tau^2 theta^2 / (2 v (v + tau^2)) ),
// and p_n = min(1, 1 / Lambda), kept as a running minimum over looks, is a p-value valid at any
// stopping time: checking after every batch does not inflate the false-positive rate.
// The confidence sequence is the set of theta0 with Lambda(theta0) < 1/alpha:
//   |theta^ - theta0| < sqrt( 2 v (v + tau^2) / tau^2 * (ln(1/alpha) + ln(sqrt((v + tau^2) / v))) ).
//
// tau^2 sets where the boundary is tightest. Writing r = tau^2 / v_m for the variance v_m at the planned
// sample size, the half-width there is sqrt(2 v_m (1 + 1/r)(L + ln(1 + r) / 2)) with L = ln(1/alpha),
// minimal where r = 2L + ln(1 + r); one fixed-point step from r = 2L gives r = 2L + ln(1 + 2L), the same
// choice as Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic
// confidence sequences", Annals of Statistics 49(2), section 3.5.
import { meanOf, type TMetricSummary, varianceOf } from "./metric-summary.ts";

export type TSequentialOptions = {
  alpha: number;
  /** Users per variant the experiment plans to reach; the boundary is tightest there. */
  plannedUsersPerVariant: number;
};

export type TSequentialTest = {
  difference: number;
  /** Always-valid interval of the difference at level 1 - alpha. */
  interval: [number, number];
  /** Mixture likelihood ratio at this look. */
  likelihoodRatio: number;
  /** 1 / Lambda at this look (callers keep the running minimum over looks). */
  pValue: number;
};

/** The mixing-variance multiplier r = 2 ln(1/alpha) + ln(1 + 2 ln(1/alpha)) (see above). */
export const mixingRatio = (alpha: number): number => {
  const l = Math.log(1 / alpha);
  return 2 * l + Math.log(1 + 2 * l);
};

export const sequentialTest = (
  control: TMetricSummary,
  treatment: TMetricSummary,
  options: TSequentialOptions,
): TSequentialTest => {
  const difference = meanOf(treatment) - meanOf(control);
  const varC = varianceOf(control);
  const varT = varianceOf(treatment);
  if (control.n < 2 || treatment.n < 2 || varC + varT === 0) {
    return {
      difference,
      interval: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      likelihoodRatio: 1,
      pValue: 1,
    };
  }
  const v = varC / control.n + varT / treatment.n;
  const planned = Math.max(2, options.plannedUsersPerVariant);
  const tau2 = mixingRatio(options.alpha) * ((varC + varT) / planned);
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
  const half = Math.sqrt(
    ((2 * v * (v + tau2)) / tau2) * (Math.log(1 / options.alpha) + 0.5 * Math.log((v + tau2) / v)),
  );
  return {
    difference,
    interval: [difference - half, difference + half],
    likelihoodRatio: Math.exp(logLambda),
    pValue: Math.min(1, Math.exp(-logLambda)),
  };
};
