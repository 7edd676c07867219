// Ad-targeting audiences from a trained model: how interested each user is in a set of target items
// (a product, a campaign's items, a category), and lookalike expansion of a seed audience. No I/O.
import type { TModelArtifact } from "./model-artifact.ts";

/**
 * Predicted interest of every training user of the artifact in the target items: the mean score the
 * model gives the targets. Factor models: u . mean(v_t) (the mean of the dot products). Neighbour
 * models (item-kNN, EASE sparsified): the mean over targets of the neighbour weights from the user's
 * history items, as serving scores a history. Popularity: the share of the user's history among the
 * targets (the model has nothing personal; the user's own behaviour is the only signal).
 * `historyOf(u)` gives user u's training items (needed by neighbour and popularity models).
 */
export const interestInItems = (
  artifact: TModelArtifact,
  targets: Int32Array,
  historyOf: (user: number) => Int32Array | undefined,
): Float32Array => {
  const users = artifact.userIds.length;
  const out = new Float32Array(users);
  if (targets.length === 0) return out;
  if (artifact.factors) {
    const { dim, user, item } = artifact.factors;
    const mean = new Float64Array(dim);
    for (const t of targets) for (let d = 0; d < dim; d++) mean[d]! += item[t * dim + d]! / targets.length;
    for (let u = 0; u < users; u++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += user[u * dim + d]! * mean[d]!;
      out[u] = dot;
    }
    return out;
  }
  const isTarget = new Uint8Array(artifact.itemIds.length);
  for (const t of targets) isTarget[t] = 1;
  if (artifact.neighbours) {
    const { k, index, weight } = artifact.neighbours;
    for (let u = 0; u < users; u++) {
      const history = historyOf(u);
      if (!history) continue;
      let sum = 0;
      for (const h of history) {
        for (let s = 0; s < k; s++) {
          const j = index[h * k + s]!;
          if (j < 0) break;
          if (isTarget[j] === 1) sum += weight[h * k + s]!;
        }
      }
      out[u] = sum / targets.length;
    }
    return out;
  }
  for (let u = 0; u < users; u++) {
    const history = historyOf(u);
    if (!history || history.length === 0) continue;
    let hits = 0;
    for (const h of history) hits += isTarget[h]!;
    out[u] = hits / history.length;
  }
  return out;
};

/**
 * Lookalikes of a seed audience: cosine similarity of each user's profile vector to the seed's
 * centroid (the mean of the seed members' L2-normalised vectors), the usual centroid lookalike
 * (e.g. Ma et al. 2016, "Score Look-Alike Audiences", ICDMW). Seed members and users whose vector is
 * zero get -Infinity (never chosen).
 */
export const lookalikeScores = (
  vectors: Float32Array,
  dim: number,
  seed: readonly number[],
): Float32Array => {
  const users = dim > 0 ? vectors.length / dim : 0;
  const norm = (u: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[u * dim + d]! ** 2;
    return Math.sqrt(s);
  };
  const centroid = new Float64Array(dim);
  let members = 0;
  for (const u of seed) {
    const n = norm(u);
    if (n === 0) continue;
    members++;
    for (let d = 0; d < dim; d++) centroid[d]! += vectors[u * dim + d]! / n;
  }
  let centroidNorm = 0;
  for (let d = 0; d < dim; d++) centroidNorm += centroid[d]! ** 2;
  centroidNorm = Math.sqrt(centroidNorm);
  const out = new Float32Array(users).fill(Number.NEGATIVE_INFINITY);
  if (members === 0 || centroidNorm === 0) return out;
  const inSeed = new Set(seed);
  for (let u = 0; u < users; u++) {
    if (inSeed.has(u)) continue;
    const n = norm(u);
    if (n === 0) continue;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += vectors[u * dim + d]! * centroid[d]!;
    out[u] = dot / (n * centroidNorm);
  }
  return out;
};

/**
 * Reach curve of a ranked audience: for each size, the mean interest of the top `size` users as a
 * multiple of the mean over every eligible user (an affinity index: 1 = no better than everyone).
 */
export const reachCurve = (
  rankedScores: readonly number[],
  sizes: readonly number[],
): { size: number; meanScore: number; index: number }[] => {
  const total = rankedScores.length;
  if (total === 0) return [];
  const overall = rankedScores.reduce((s, x) => s + x, 0) / total;
  const prefix = new Float64Array(total + 1);
  rankedScores.forEach((score, i) => {
    prefix[i + 1] = prefix[i]! + score;
  });
  return [...new Set(sizes.map((s) => Math.min(Math.max(1, Math.floor(s)), total)))]
    .sort((a, b) => a - b)
    .map((size) => {
      const meanScore = prefix[size]! / size;
      return { size, meanScore, index: overall !== 0 ? meanScore / overall : 1 };
    });
};
