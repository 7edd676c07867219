// Personalisation of a relevance ranking: each candidate's affinity to the shopper, a number in
// [-1, 1], scales its relevance score by (1 + w x affinity), with the weight w bounded by
// MAX_PERSONAL_WEIGHT. A multiplicative nudge rather than an added score, so that
//  - an item no query word or semantic neighbour found stays out (0 x anything = 0),
//  - the order of two items can flip only when their relevance scores are within a factor of
//    (1 + w) / (1 - w) (1.5 at the default 0.2): a clear best match (an exact title) keeps its place,
//  - and the engine's "more query words first" tiers are never crossed.
// The affinities themselves are the caller's (search.service: the user's profile vector against the
// items' vectors, and the user's segment's category shares against everyone's); the helpers below
// turn raw signals into bounded affinities.

/** Default weight of personalisation; a request may ask for less or more, up to the maximum. */
export const DEFAULT_PERSONAL_WEIGHT = 0.2;
/** Largest weight: relevance ratios of 3 and beyond can never be reversed ((1 + 0.5) / (1 - 0.5)). */
export const MAX_PERSONAL_WEIGHT = 0.5;

export const clampAffinity = (value: number): number =>
  Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;

/**
 * Affinities from similarities (cosines of the user's profile vector with the candidates' vectors):
 * centred on the candidates' mean and divided by the largest deviation, so the candidate most like
 * the user gets +1 or the least -1 whatever the embedding's cosine scale. NaN (an item without a
 * vector) gives 0 and does not count in the mean. All equal -> all 0.
 */
export const centredAffinities = (similarities: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(similarities.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < similarities.length; i++) {
    const value = similarities[i]!;
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  if (count === 0) return out;
  const mean = sum / count;
  let spread = 0;
  for (let i = 0; i < similarities.length; i++) {
    const value = similarities[i]!;
    if (Number.isFinite(value)) spread = Math.max(spread, Math.abs(value - mean));
  }
  if (spread === 0) return out;
  for (let i = 0; i < similarities.length; i++) {
    const value = similarities[i]!;
    out[i] = Number.isFinite(value) ? (value - mean) / spread : 0;
  }
  return out;
};

/**
 * Affinity of a group (a segment) to a category: the relative difference of the group's share of
 * events in it and everyone's share, (s - p) / (s + p), in [-1, 1]: +1 when only the group buys it,
 * 0 when the group is like everyone, -1 when the group never touches it. Both 0 -> 0.
 */
export const shareAffinity = (groupShare: number, populationShare: number): number => {
  const total = groupShare + populationShare;
  return total > 0 ? clampAffinity((groupShare - populationShare) / total) : 0;
};

/** Cosine of two vectors of equal length; NaN when either is all zeros. */
export const cosine = (a: ArrayLike<number>, b: ArrayLike<number>, bOffset = 0): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[bOffset + i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : Number.NaN;
};
