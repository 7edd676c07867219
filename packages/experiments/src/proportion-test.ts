// Rates (click-through, add-to-cart, conversion as shares of exposed users): Wilson intervals per
// variant and the two-proportion z-test between a treatment and the control.
//
// Wilson, E. B. (1927). "Probable inference, the law of succession, and statistical inference."
// JASA 22(158), 209-212; recommended over the Wald interval by Agresti, A. & Coull, B. A. (1998),
// "Approximate is better than 'exact' for interval estimation of binomial proportions", Am. Stat. 52(2).
// The z-test uses the pooled standard error under H0: p_C = p_T, and the interval of the difference the
// unpooled (Wald) one (Agresti, "Categorical Data Analysis", 3rd ed., 2013, section 3.1.2 and 3.1.3).
import { normalQuantile, normalTwoSided } from "./distributions.ts";

export type TProportion = { n: number; successes: number };

export type TProportionTest = {
  /** p_T - p_C. */
  difference: number;
  /** Interval of the difference at the requested confidence. */
  interval: [number, number];
  /** z statistic with the pooled standard error. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
};

const zFor = (confidence: number) => normalQuantile(1 - (1 - confidence) / 2);

/** Wilson score interval of one rate; [0, 1] without observations. */
export const wilsonInterval = ({ n, successes }: TProportion, confidence = 0.95): [number, number] => {
  if (n === 0) return [0, 1];
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
};

export const twoProportionZTest = (
  control: TProportion,
  treatment: TProportion,
  confidence = 0.95,
): TProportionTest => {
  const pc = control.n > 0 ? control.successes / control.n : 0;
  const pt = treatment.n > 0 ? treatment.successes / treatment.n : 0;
  const difference = pt - pc;
  if (control.n === 0 || treatment.n === 0) return { difference, interval: [-1, 1], z: 0, pValue: 1 };
  const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const seWald = Math.sqrt((pc * (1 - pc)) / control.n + (pt * (1 - pt)) / treatment.n);
  const z = sePooled > 0 ? difference / sePooled : 0;
  const q = zFor(confidence);
  return {
    difference,
    interval: [difference - q * seWald, difference + q * seWald],
    z,
    pValue: sePooled > 0 ? normalTwoSided(z) : 1,
  };
};
