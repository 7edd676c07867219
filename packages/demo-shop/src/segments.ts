import { CATEGORIES } from "./catalog/index.ts";
import { cumulative, pick, type Rng, randInt, shuffle } from "./prng.ts";
import type { ActivityLevel, PriceBand, TimeOfDay } from "./types.ts";

/** A planted taste. Segments differ mainly by category mix, which is what makes them recoverable. */
export type Segment = {
  index: number;
  name: string;
  /** Indices into CATEGORIES, most preferred first (2-3 of them). */
  topCategories: number[];
  /** Preference over all CATEGORIES; sums to 1. */
  categoryWeights: number[];
  priceBand: PriceBand;
  activity: ActivityLevel;
  timeOfDay: TimeOfDay;
  peakHour: number;
  /** Cumulative weights over the 24 UTC hours. */
  hourCum: Float64Array;
};

const PRICE_BANDS: readonly PriceBand[] = ["budget", "mid", "premium"];
const TIMES: readonly TimeOfDay[] = ["morning", "lunchtime", "evening", "night"];
const PEAK_HOUR: Record<TimeOfDay, number> = { morning: 8, lunchtime: 13, evening: 20, night: 23 };
export const ACTIVITY_MULTIPLIER: Record<ActivityLevel, number> = { low: 0.6, medium: 1, high: 1.7 };

// Focus weights: the top category alone carries 60% of the traffic so that a user's
// most-viewed category is almost always their segment's top category.
const TOP_WEIGHTS_TWO = [0.6, 0.28];
const TOP_WEIGHTS_THREE = [0.6, 0.2, 0.1];

/** log(price / type median) each band is centred on; see priceAffinity(). */
const BAND_CENTRE: Record<PriceBand, number> = { budget: -0.35, mid: 0, premium: 0.35 };

/** How much a segment likes an item at this relative price; the floor keeps every item reachable. */
export function priceAffinity(band: PriceBand, priceRatio: number): number {
  const d = Math.log(priceRatio) - BAND_CENTRE[band];
  return 0.05 + Math.exp(-(d * d) / (2 * 0.3 * 0.3));
}

function hourProfile(peak: number): Float64Array {
  const weights = Array.from({ length: 24 }, (_, h) => {
    const d = Math.min(Math.abs(h - peak), 24 - Math.abs(h - peak));
    return 0.08 + Math.exp(-(d * d) / (2 * 2.5 * 2.5));
  });
  return cumulative(weights);
}

export function generateSegments(rng: Rng, count: number): Segment[] {
  const c = CATEGORIES.length;
  // Distinct primaries: segment k's top category is order[k].
  const order = shuffle(
    rng,
    Array.from({ length: c }, (_, i) => i),
  );
  const bandOffset = randInt(rng, 0, PRICE_BANDS.length - 1);
  const timeOffset = randInt(rng, 0, TIMES.length - 1);
  return Array.from({ length: count }, (_, k) => {
    const primary = order[k] as number;
    const focusWeights = rng() < 0.5 ? TOP_WEIGHTS_TWO : TOP_WEIGHTS_THREE;
    // Secondary picks prefer categories that are nobody's primary: if segment A's secondary
    // were segment B's primary, A and B would blur together in behaviour space.
    const spare = shuffle(rng, order.slice(count));
    const taken = shuffle(
      rng,
      order.slice(0, count).filter((i) => i !== primary),
    );
    const topCategories = [primary, ...[...spare, ...taken].slice(0, focusWeights.length - 1)];
    const focusTotal = focusWeights.reduce((a, b) => a + b, 0);
    const rest = (1 - focusTotal) / (c - topCategories.length);
    const categoryWeights = Array.from({ length: c }, (_, i) => {
      const pos = topCategories.indexOf(i);
      return pos >= 0 ? (focusWeights[pos] as number) : rest;
    });
    const priceBand = PRICE_BANDS[(k + bandOffset) % PRICE_BANDS.length] as PriceBand;
    const timeOfDay = TIMES[(k + timeOffset) % TIMES.length] as TimeOfDay;
    const activity = pick(rng, ["low", "medium", "high"] as const);
    const names = topCategories.map((i) => CATEGORIES[i]?.name ?? "?");
    return {
      index: k,
      name: `${names.join(" + ")} (${priceBand}, ${timeOfDay})`,
      topCategories,
      categoryWeights,
      priceBand,
      activity,
      timeOfDay,
      peakHour: PEAK_HOUR[timeOfDay],
      hourCum: hourProfile(PEAK_HOUR[timeOfDay]),
    };
  });
}
