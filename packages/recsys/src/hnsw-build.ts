// Building an HNSW index beside serving: rows go in slices of at most `sliceMs` of CPU, and the event
// loop runs between slices, so the process answering requests keeps answering while it builds (by an
// exact scan until the index is ready). Used for recommenders' item factors and search's item embeddings.
import type { HnswIndex } from "./hnsw.ts";

/**
 * Adds rows [0, count) of the row-major `vectors` (`dim` wide) to the empty `index`, in order, then
 * prepares it for search. Resolves true when built, false when `abandoned()` stopped it between slices.
 */
export const addRowsInSlices = async (
  index: HnswIndex,
  vectors: Float32Array,
  count: number,
  sliceMs: number,
  abandoned: () => boolean = () => false,
): Promise<boolean> => {
  const { dim } = index;
  // The whole set goes in: insertion walks run on the SIMD codes.
  index.planBulk(vectors, count);
  let i = 0;
  while (i < count) {
    if (abandoned()) return false;
    const until = performance.now() + sliceMs;
    do {
      index.add(vectors.subarray(i * dim, (i + 1) * dim));
      i++;
    } while (i < count && performance.now() < until);
    await new Promise((resolve) => setImmediate(resolve));
  }
  index.prepareSearch();
  return true;
};
