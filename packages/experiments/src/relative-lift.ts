// Relative lift of a treatment mean over the control mean, with a delta-method interval.
// Deng, A., Knoblich, U. & Lu, J. (2018). "Applying the Delta Method in Metric Analytics: A Practical
// Guide with Novel Ideas." KDD '18, section 3: for independent groups,
//   Var(mT / mC) ~= Var(mT) / mC^2 + mT^2 Var(mC) / mC^4,   Var(m) = s^2 / n.
import { normalQuantile } from "./distributions.ts";
import { meanOf, type TMetricSummary, varianceOf } from "./metric-summary.ts";

export type TRelativeLift = {
  /** (treatment mean - control mean) / control mean; null when the control mean is 0. */
  lift: number | null;
  /** Two-sided interval of the lift at the requested level; null when the lift is undefined. */
  interval: [number, number] | null;
};

export const relativeLift = (
  control: TMetricSummary,
  treatment: TMetricSummary,
  confidence = 0.95,
): TRelativeLift => {
  const mc = meanOf(control);
  const mt = meanOf(treatment);
  if (mc === 0 || control.n < 2 || treatment.n < 2)
    return { lift: mc === 0 ? null : mt / mc - 1, interval: null };
  const varT = varianceOf(treatment) / treatment.n;
  const varC = varianceOf(control) / control.n;
  const se = Math.sqrt(varT / (mc * mc) + (mt * mt * varC) / mc ** 4);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const lift = mt / mc - 1;
  return { lift, interval: [lift - z * se, lift + z * se] };
};
