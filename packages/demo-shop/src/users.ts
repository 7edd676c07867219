import { CATEGORIES } from "./catalog/index.ts";
import { DAY_MS, isoDate, userIdOf } from "./format.ts";
import { cumulative, logNormal, type Rng, sampleCumulative, shuffle } from "./prng.ts";
import { ACTIVITY_MULTIPLIER, type Segment } from "./segments.ts";
import type { UserRow } from "./types.ts";

export type Shopper = {
  row: UserRow;
  segment: Segment;
  /** Personal category preference: mostly the segment's, plus a little individual noise. */
  categoryCum: Float64Array;
  /** Relative share of the event volume. */
  activityWeight: number;
};

const COUNTRIES = ["GB", "IE", "FR", "DE", "NL", "ES", "US"] as const;
const COUNTRY_WEIGHTS = cumulative([0.62, 0.08, 0.07, 0.08, 0.05, 0.04, 0.06]);
/** Share of a user's taste that is personal rather than inherited from the segment. */
const PERSONAL_NOISE = 0.1;
const MAX_ACCOUNT_AGE_DAYS = 1095;

export function generateUsers(rng: Rng, count: number, segments: Segment[], windowStart: number): Shopper[] {
  const segmentCum = cumulative(segments.map(() => 0.7 + 0.6 * rng()));
  // The first K draws are forced to 0..K-1 and then shuffled, so every segment is
  // non-empty whenever users >= segments, without putting a pattern in the ids.
  const assignment = shuffle(
    rng,
    Array.from({ length: count }, (_, i) => (i < segments.length ? i : sampleCumulative(rng, segmentCum))),
  );
  return assignment.map((segmentIndex, i) => {
    const segment = segments[segmentIndex] as Segment;
    const noise = CATEGORIES.map(() => -Math.log(1 - rng()));
    const noiseTotal = noise.reduce((a, b) => a + b, 0);
    const prefs = segment.categoryWeights.map(
      (w, c) => (1 - PERSONAL_NOISE) * w + (PERSONAL_NOISE * (noise[c] ?? 0)) / noiseTotal,
    );
    const signupMs = windowStart - (1 + Math.floor(rng() * MAX_ACCOUNT_AGE_DAYS)) * DAY_MS;
    return {
      row: {
        user_id: userIdOf(i + 1),
        country: COUNTRIES[sampleCumulative(rng, COUNTRY_WEIGHTS)] as string,
        signup_date: isoDate(signupMs),
      },
      segment,
      categoryCum: cumulative(prefs),
      activityWeight: ACTIVITY_MULTIPLIER[segment.activity] * logNormal(rng, 1, 0.45),
    };
  });
}
