// The one interface every text embedder in the platform satisfies. Embeddings are returned as one
// Float32Array per input text (not a flat n x d buffer) because callers store, quantise and index
// vectors one item at a time; `stackRows` in cosine-top-k.ts builds the flat matrix when needed.

export type TEmbedderBackend = "transformers" | "lexical";

export type TEmbedder = {
  /** What made the vectors, e.g. "Xenova/all-MiniLM-L6-v2" or "lexical-hash-tfidf". */
  modelId: string;
  /** Identifies the exact weights / fitted state, so every stored embedding records what made it. */
  modelVersion: string;
  backend: TEmbedderBackend;
  dimension: number;
  /**
   * One L2-normalised vector of length `dimension` per text, in input order. A text with no usable
   * tokens (e.g. "") gets the zero vector, whose cosine with anything is 0.
   */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  /** Releases native resources (ONNX sessions); the embedder must not be used afterwards. */
  dispose: () => Promise<void>;
};
