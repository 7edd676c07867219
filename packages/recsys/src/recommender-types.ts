// The contract every fitted model meets: score a user's full item vector, for full ranking.
import type { TCsrMatrix } from "./csr-matrix.ts";

export type TScorer = {
  readonly itemCount: number;
  /**
   * Writes one score per item into `out` (length itemCount) for user `user`, whose known
   * interactions are row `user` of `history` (the matrix the model was fitted on, or a fresher one
   * for fold-in models).
   */
  scoreUser(user: number, history: TCsrMatrix, out: Float32Array): void;
};
