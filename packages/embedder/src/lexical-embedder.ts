// The deterministic fallback embedder: TF-IDF over hashed word and character n-grams (see
// lexical-features.ts), folded into `dimension` buckets by the signed hashing trick of Weinberger et
// al. 2009, "Feature Hashing for Large Scale Multitask Learning" (bucket = h mod d, sign = the top
// bit of h, independent of the bucket for power-of-two d, so collisions cancel in expectation), then
// L2-normalised.
//
// IDF is kept per full 32-bit feature hash, not per bucket: per-bucket document frequencies would
// merge thousands of features and flatten IDF to ~1. The fitted state stores document frequencies
// (integers, exact in JSON); IDF is recomputed from them.

import type { TEmbedder } from "./embedder-types.ts";
import { countFeatureHashes } from "./lexical-features.ts";
import { murmur3Bytes } from "./murmur3-hash.ts";
import { normalizeInPlace } from "./vector-norm.ts";

export const LEXICAL_MODEL_ID = "lexical-hash-tfidf";
const STATE_FORMAT = 1;
const MAX_DIMENSION = 1 << 24;

export type TLexicalOptions = { dimension?: number; seed?: number };

/** Everything needed to rebuild the same embedder; plain JSON. */
export type TLexicalState = {
  format: typeof STATE_FORMAT;
  dimension: number;
  seed: number;
  /** Number of corpus documents the IDF was fitted on. */
  documents: number;
  /** Sorted feature hashes seen in the corpus, and their document frequencies, index-aligned. */
  features: number[];
  documentFrequencies: number[];
};

export type TLexicalEmbedder = TEmbedder & { backend: "lexical"; state: TLexicalState };

/**
 * Smooth IDF as in scikit-learn's TfidfTransformer(smooth_idf=True): ln((1 + n) / (1 + df)) + 1,
 * i.e. one extra document containing every term, so df = 0 (a feature unseen in the corpus) is finite
 * and gets the largest weight, and a term in every document keeps weight 1.
 */
export const smoothIdf = (documents: number, documentFrequency: number): number =>
  Math.log((1 + documents) / (1 + documentFrequency)) + 1;

export const fitLexicalState = (corpus: readonly string[], options: TLexicalOptions = {}): TLexicalState => {
  const dimension = options.dimension ?? 256;
  const seed = (options.seed ?? 0) >>> 0;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_DIMENSION) {
    throw new RangeError(`dimension must be an integer in [1, ${MAX_DIMENSION}], got ${dimension}`);
  }
  const df = new Map<number, number>();
  for (const text of corpus) {
    for (const hash of countFeatureHashes(text, seed).keys()) df.set(hash, (df.get(hash) ?? 0) + 1);
  }
  const features = [...df.keys()].sort((a, b) => a - b);
  return {
    format: STATE_FORMAT,
    dimension,
    seed,
    documents: corpus.length,
    features,
    documentFrequencies: features.map((hash) => df.get(hash)!),
  };
};

/** A version string that changes whenever the fitted state does. */
const versionOf = (state: TLexicalState): string => {
  const words = new Uint32Array(4 + 2 * state.features.length);
  words.set([state.format, state.dimension, state.seed, state.documents]);
  words.set(state.features, 4);
  words.set(state.documentFrequencies, 4 + state.features.length);
  const hash = murmur3Bytes(new Uint8Array(words.buffer), state.seed);
  return `v${state.format}-d${state.dimension}-n${state.documents}-${hash.toString(16).padStart(8, "0")}`;
};

export const createLexicalEmbedderFromState = (state: TLexicalState): TLexicalEmbedder => {
  if (state.format !== STATE_FORMAT) throw new Error(`unsupported lexical state format ${state.format}`);
  if (state.features.length !== state.documentFrequencies.length) {
    throw new Error("lexical state: features and documentFrequencies differ in length");
  }
  const idf = new Map<number, number>();
  state.features.forEach((hash, i) => {
    idf.set(hash, smoothIdf(state.documents, state.documentFrequencies[i]!));
  });
  const unseenIdf = smoothIdf(state.documents, 0);
  const { dimension } = state;

  const embedOne = (text: string): Float32Array => {
    const vector = new Float32Array(dimension);
    for (const [hash, count] of countFeatureHashes(text, state.seed)) {
      const sign = hash >>> 31 === 1 ? -1 : 1;
      vector[hash % dimension]! += sign * count * (idf.get(hash) ?? unseenIdf);
    }
    return normalizeInPlace(vector);
  };

  return {
    modelId: LEXICAL_MODEL_ID,
    modelVersion: versionOf(state),
    backend: "lexical",
    dimension,
    state,
    embed: async (texts) => texts.map(embedOne),
    dispose: async () => {},
  };
};

/** Fits IDF on `corpus` (e.g. the catalogue's titles + descriptions) and returns the embedder. */
export const createLexicalEmbedder = (
  corpus: readonly string[],
  options: TLexicalOptions = {},
): TLexicalEmbedder => createLexicalEmbedderFromState(fitLexicalState(corpus, options));
