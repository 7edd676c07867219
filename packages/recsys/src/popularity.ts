// Popularity: every user gets the items with the most training interactions. The floor every
// personalised model has to beat.
import type { TCsrMatrix } from "./csr-matrix.ts";
import type { TScorer } from "./recommender-types.ts";

export type TPopularityModel = TScorer & { counts: Float32Array };

/** Counts distinct interacting users per item (binary, as RecBole's Pop counts interactions). */
export const fitPopularity = (train: TCsrMatrix): TPopularityModel => {
  const counts = new Float32Array(train.cols);
  for (const item of train.indices) counts[item]!++;
  return {
    itemCount: train.cols,
    counts,
    scoreUser(_user, _history, out) {
      out.set(counts);
    },
  };
};
