// The per-user metrics an experiment can decide on, and how each is tested: rates (a 0/1 value per
// exposed user) with the two-proportion z-test, revenue per user with Welch's t-test.

import type { TMetricSpec } from "@dam/experiments/analyse-experiment";
import { eventTypesFrom, type TEventType } from "@dam/vocabulary/event-types";

export const EXPERIMENT_METRICS = ["CLICK_THROUGH", "ADD_TO_CART", "CONVERSION", "REVENUE_PER_USER"] as const;
export type TExperimentMetric = (typeof EXPERIMENT_METRICS)[number];

const LABELS: Record<TExperimentMetric, string> = {
  CLICK_THROUGH: "click-through",
  ADD_TO_CART: "add-to-cart",
  CONVERSION: "conversion",
  REVENUE_PER_USER: "revenue per user",
};

export const metricSpec = (metric: TExperimentMetric): TMetricSpec => ({
  key: metric,
  kind: metric === "REVENUE_PER_USER" ? "MEAN" : "RATE",
  label: LABELS[metric],
});

export const isExperimentMetric = (value: string): value is TExperimentMetric =>
  (EXPERIMENT_METRICS as readonly string[]).includes(value);

/**
 * Event types that count towards each funnel step, on an item the user was shown: any event is a
 * click-through, a cart or a purchase reaches the cart, a purchase is a conversion (the platform's
 * event vocabulary, in funnel order).
 */
export const CLICK_TYPES = eventTypesFrom("view");
export const CART_TYPES = eventTypesFrom("cart");
export const PURCHASE_TYPE: TEventType = "purchase";
