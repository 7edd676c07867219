// A seeded traffic simulator: synthetic shoppers arrive in batches, are assigned by the real assignment
// hash, and click, add to cart, buy and spend with known probabilities per variant. It is how the tests
// check that a known true lift is found and that A/A experiments keep their false-positive rate.
import { createRng, type Rng, randomNormal } from "@dam/clustering/prng";
import { assignVariant, type TTrafficPlan } from "./assignment.ts";
import { addValue, emptySummary, type TMetricSummary } from "./metric-summary.ts";

export type TShopperModel = {
  /** P(click on a recommended item) per exposed user. */
  clickRate: number;
  /** P(add to cart | click). */
  cartRate: number;
  /** P(purchase | cart). */
  purchaseRate: number;
  /** Order value: log-normal with these parameters of the underlying normal. */
  orderLogMean: number;
  orderLogSd: number;
};

export type TSimulationPlan = {
  seed: number;
  traffic: TTrafficPlan;
  shopper: TShopperModel;
  /** Multiplier of purchaseRate per variant (1 = no effect); a true relative lift of 10% is 1.1. */
  purchaseMultipliers: readonly number[];
  batches: number;
  usersPerBatch: number;
  /** Share of each variant's users whose exposure is lost (to provoke a sample-ratio mismatch). */
  exposureLoss?: readonly number[];
};

export type TVariantTotals = {
  users: number;
  clickThrough: TMetricSummary;
  addToCart: TMetricSummary;
  conversion: TMetricSummary;
  revenuePerUser: TMetricSummary;
};

const emptyTotals = (): TVariantTotals => ({
  users: 0,
  clickThrough: emptySummary(),
  addToCart: emptySummary(),
  conversion: emptySummary(),
  revenuePerUser: emptySummary(),
});

const cloneTotals = (t: TVariantTotals): TVariantTotals => ({
  users: t.users,
  clickThrough: { ...t.clickThrough },
  addToCart: { ...t.addToCart },
  conversion: { ...t.conversion },
  revenuePerUser: { ...t.revenuePerUser },
});

const simulateShopper = (rng: Rng, shopper: TShopperModel, multiplier: number, totals: TVariantTotals) => {
  const clicked = rng() < shopper.clickRate;
  const carted = clicked && rng() < shopper.cartRate;
  const bought = carted && rng() < Math.min(1, shopper.purchaseRate * multiplier);
  const revenue = bought ? Math.exp(shopper.orderLogMean + shopper.orderLogSd * randomNormal(rng)) : 0;
  totals.users += 1;
  addValue(totals.clickThrough, clicked ? 1 : 0);
  addValue(totals.addToCart, carted ? 1 : 0);
  addValue(totals.conversion, bought ? 1 : 0);
  addValue(totals.revenuePerUser, revenue);
};

/** Cumulative per-variant totals after each batch (index b holds batches 0..b). */
export const simulateTraffic = (plan: TSimulationPlan): TVariantTotals[][] => {
  const rng = createRng(plan.seed);
  const totals = plan.traffic.shares.map(emptyTotals);
  const looks: TVariantTotals[][] = [];
  for (let b = 0; b < plan.batches; b++) {
    for (let u = 0; u < plan.usersPerBatch; u++) {
      const variant = assignVariant(plan.traffic, `s${plan.seed}-b${b}-u${u}`);
      if (variant < 0) continue;
      if (rng() < (plan.exposureLoss?.[variant] ?? 0)) continue;
      simulateShopper(rng, plan.shopper, plan.purchaseMultipliers[variant] ?? 1, totals[variant]!);
    }
    looks.push(totals.map(cloneTotals));
  }
  return looks;
};
