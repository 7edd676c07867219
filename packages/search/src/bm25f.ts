// BM25F, the field-weighted BM25 of S. Robertson and H. Zaragoza, "The Probabilistic Relevance
// Framework: BM25 and Beyond", Foundations and Trends in Information Retrieval 3(4), 2009,
// section 3.5 (equations 3.18-3.20 there). Per field f with weight w_f and length normalisation b_f:
//   B_f  = (1 - b_f) + b_f * len_f(d) / avglen_f                                (3.18)
//   tf~  = sum_f w_f * tf_f(t, d) / B_f                                        (3.19)
//   w(t, d) = tf~ / (k1 + tf~) * idf(t)                                        (3.20)
// Fields are combined before the saturation, which is the point of BM25F: a word repeated across
// title and description does not count twice at full strength as in a sum of per-field BM25s.
// idf is the Robertson / Sparck Jones weight with 0.5 corrections, in the non-negative form
// ln(1 + (N - df + 0.5) / (df + 0.5)) that Lucene uses, so a word found in more than half of the
// documents still scores above zero.

/** Robertson & Zaragoza 2009 recommend k1 in [1.2, 2]; 1.2 is the common default (Lucene, Elasticsearch). */
export const DEFAULT_K1 = 1.2;
/** The usual length normalisation of BM25 (ibid., section 3.4). */
export const DEFAULT_B = 0.75;

export const bm25Idf = (documents: number, documentFrequency: number): number =>
  Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));

/** 1 / B_f (equation 3.18), stored per document and field at build time. */
export const inverseLengthNorm = (length: number, averageLength: number, b: number): number =>
  averageLength > 0 ? 1 / (1 - b + (b * length) / averageLength) : 1;

/** The saturated, idf-weighted term score of equation 3.20, given tf~ of equation 3.19. */
export const bm25fTermScore = (pseudoTf: number, idf: number, k1: number): number =>
  pseudoTf <= 0 ? 0 : (pseudoTf / (k1 + pseudoTf)) * idf;
