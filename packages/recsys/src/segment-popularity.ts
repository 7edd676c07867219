// Popularity within user segments: for each segment, the items most of its members interacted with.
// Counted as the overall popularity is (popularity.ts: distinct interacting users per item, RecBole's
// Pop), but over the rows of one segment's members only, so the two lists share a unit and a cold
// user's segment list reads as "N interactions" exactly like the overall one.
import type { TCsrMatrix } from "./csr-matrix.ts";
import { selectTopK } from "./top-k.ts";

export type TSegmentTopItems = {
  /** Width of each segment's row. */
  k: number;
  /** Row-major segments x k item indices, best first, -1 = padding (the segment touched fewer items). */
  items: Int32Array;
  /** Distinct members of the segment who interacted with the item, aligned with `items` (0 = padding). */
  counts: Float32Array;
};

/**
 * The `k` most popular items of each segment. `userSegment[u]` is the segment of matrix row `u`, or
 * -1 for a user in no segment (DBSCAN noise, or not in the segment set at all); those rows count in
 * no segment. Items nobody in a segment touched are never listed; ties go to the lower item index,
 * as in the overall popularity walk of the scorer.
 */
export const countSegmentPopularity = (
  matrix: TCsrMatrix,
  userSegment: Int32Array,
  segmentCount: number,
  k: number,
): TSegmentTopItems => {
  if (userSegment.length !== matrix.rows) {
    throw new Error(`userSegment has ${userSegment.length} entries for ${matrix.rows} users`);
  }
  if (!Number.isInteger(k) || k <= 0) throw new Error(`k ${k} is not a positive integer`);
  const width = Math.min(k, matrix.cols);
  const items = new Int32Array(segmentCount * width).fill(-1);
  const counts = new Float32Array(segmentCount * width);
  // Members grouped by segment, so one item-length buffer is reused segment after segment: memory
  // stays O(items) rather than O(segments x items).
  const members: number[][] = Array.from({ length: segmentCount }, () => []);
  for (let u = 0; u < matrix.rows; u++) {
    const s = userSegment[u]!;
    if (s >= segmentCount) throw new Error(`user ${u} is in segment ${s}, outside 0..${segmentCount - 1}`);
    if (s >= 0) members[s]!.push(u);
  }
  const buffer = new Float32Array(matrix.cols).fill(Number.NEGATIVE_INFINITY);
  const touched: number[] = [];
  for (let s = 0; s < segmentCount; s++) {
    for (const u of members[s]!) {
      for (let e = matrix.indptr[u]!; e < matrix.indptr[u + 1]!; e++) {
        const item = matrix.indices[e]!;
        if (buffer[item] === Number.NEGATIVE_INFINITY) {
          buffer[item] = 0;
          touched.push(item);
        }
        buffer[item]!++;
      }
    }
    const top = selectTopK(buffer, Math.min(width, touched.length));
    top.forEach((item, slot) => {
      items[s * width + slot] = item;
      counts[s * width + slot] = buffer[item]!;
    });
    for (const item of touched) buffer[item] = Number.NEGATIVE_INFINITY;
    touched.length = 0;
  }
  return { k: width, items, counts };
};
