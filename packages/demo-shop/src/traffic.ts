import { DAY_MS, isoDate } from "./format.ts";
import { cumulative } from "./prng.ts";

/** Planted day-level structure: weekends busier, steady growth, one promo-day spike. */
export type Traffic = {
  dayCum: Float64Array;
  weekendMultiplier: number;
  growthOverWindow: number;
  promoDayIndex: number;
  promoDay: string;
  promoMultiplier: number;
};

const WEEKEND_MULTIPLIER = 1.3;
const GROWTH_OVER_WINDOW = 0.25;
const PROMO_MULTIPLIER = 2.5;

export function trafficProfile(days: number, windowStartMs: number): Traffic {
  // Two thirds into the window: late enough to sit on the growth trend, early enough to see the decay.
  const promoDayIndex = Math.floor((days * 2) / 3);
  const weights = Array.from({ length: days }, (_, d) => {
    const weekday = new Date(windowStartMs + d * DAY_MS).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? WEEKEND_MULTIPLIER : 1;
    const growth = 1 + (GROWTH_OVER_WINDOW * d) / Math.max(1, days - 1);
    return weekend * growth * (d === promoDayIndex ? PROMO_MULTIPLIER : 1);
  });
  return {
    dayCum: cumulative(weights),
    weekendMultiplier: WEEKEND_MULTIPLIER,
    growthOverWindow: GROWTH_OVER_WINDOW,
    promoDayIndex,
    promoDay: isoDate(windowStartMs + promoDayIndex * DAY_MS),
    promoMultiplier: PROMO_MULTIPLIER,
  };
}
