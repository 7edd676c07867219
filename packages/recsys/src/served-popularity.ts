// The popularity a POP model answers with when it is served: for a member of a segment, that segment's
// most popular items (the artifact's top list, SEGMENT_POPULARITY in serving), then overall popularity
// for the rest; for anyone else, overall popularity. Offline, this is the baseline row of every training
// run, so a model is compared with what shoppers would actually get rather than with global popularity.
import type { TCsrMatrix } from "./csr-matrix.ts";
import { fitPopularity } from "./popularity.ts";
import type { TScorer } from "./recommender-types.ts";
import { countSegmentPopularity } from "./segment-popularity.ts";

/**
 * `userSegment[u]` is the segment of row `u` (-1: none); `topItems` is the length of each segment's list,
 * as the artifact stores it. Scores: a listed item's segment count (>= 1), every other item its overall
 * count / (max + 1) (< 1), so the ranking is the segment's list, then overall popularity, as served.
 */
export const fitServedPopularity = (
  train: TCsrMatrix,
  userSegment: Int32Array,
  segmentCount: number,
  topItems: number,
): TScorer => {
  const overall = fitPopularity(train).counts;
  let max = 0;
  for (const count of overall) max = Math.max(max, count);
  const fallback = Float32Array.from(overall, (count) => count / (max + 1));
  const top = segmentCount > 0 ? countSegmentPopularity(train, userSegment, segmentCount, topItems) : null;
  return {
    itemCount: train.cols,
    scoreUser(user, _history, out) {
      out.set(fallback);
      const segment = userSegment[user] ?? -1;
      if (!top || segment < 0) return;
      for (let slot = 0; slot < top.k; slot++) {
        const item = top.items[segment * top.k + slot]!;
        if (item < 0) break;
        out[item] = top.counts[segment * top.k + slot]!;
      }
    },
  };
};
