// Fold-in of fresh events into a factor model: the user's vector solved from their recent items as
// implicit ALS solves a user (Hu, Koren & Volinsky 2008, eq. 4), with the trained vector (or zero for
// a new user) as the ridge prior, and each history item's share of it kept for the reasons.
import { choleskyInPlace, solveCholeskyInPlace } from "../dense-spd-inverse.ts";
import type { TModelArtifact } from "../model-artifact.ts";
import type { THistory } from "./scorer-types.ts";

/** A user's vector and, for a fold-in, each history item's share w_h = A^-1 (c_h y_h) of it (|H| x dim). */
export type TUserQuery = { vector: Float32Array; shares: Float32Array | null; history?: THistory };

const num = (value: unknown, fallback: number): number =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

export class FactorFoldIn {
  private readonly factors: NonNullable<TModelArtifact["factors"]>;
  private readonly gram: Float64Array;
  private readonly alpha: number;
  private readonly lambda: number;

  /** `artifact.factors` must be set. */
  constructor(artifact: TModelArtifact) {
    this.factors = artifact.factors!;
    // Fold-in uses the training's confidence scale and regulariser when recorded (ALS params), else
    // alpha 1, lambda 0.1: a plain ridge least squares over the clicked items.
    this.alpha = num(artifact.params.alpha, 1);
    this.lambda = num(artifact.params.lambda ?? artifact.params.regularization, 0.1);
    this.gram = gramOf(this.factors.item, artifact.itemIds.length, this.factors.dim);
  }

  /** The trained vector without a history, else the fold-in of the history with it as the prior. */
  userVector(user: number, history: THistory): TUserQuery {
    const { dim, user: userFactors, item: itemFactors } = this.factors;
    const prior = user >= 0 ? userFactors.subarray(user * dim, (user + 1) * dim) : null;
    if (history.items.length === 0) return { vector: prior ?? new Float32Array(dim), shares: null };
    // A = Y^T Y + sum_h (c_h - 1) y_h y_h^T + lambda I, with c_h = 1 + alpha * w_h (eq. 4 of Hu et al.).
    const a = Float64Array.from(this.gram);
    const n = history.items.length;
    const confidence = new Float64Array(n);
    for (let h = 0; h < n; h++) {
      const y = history.items[h]! * dim;
      confidence[h] = 1 + this.alpha * history.weights[h]!;
      const extra = confidence[h]! - 1;
      for (let r = 0; r < dim; r++) {
        const yr = extra * itemFactors[y + r]!;
        for (let c = 0; c <= r; c++) a[r * dim + c]! += yr * itemFactors[y + c]!;
      }
    }
    for (let r = 0; r < dim; r++) {
      a[r * dim + r]! += this.lambda;
      for (let c = 0; c < r; c++) a[c * dim + r] = a[r * dim + c]!;
    }
    choleskyInPlace(a, dim);
    // Right-hand sides: one per history item (c_h y_h, p = 1) plus the prior lambda x0.
    const shares = new Float32Array(n * dim);
    const vector = new Float32Array(dim);
    const rhs = new Float64Array(dim);
    for (let h = 0; h < n; h++) {
      const y = history.items[h]! * dim;
      for (let r = 0; r < dim; r++) rhs[r] = confidence[h]! * itemFactors[y + r]!;
      solveCholeskyInPlace(a, dim, rhs);
      for (let r = 0; r < dim; r++) {
        shares[h * dim + r] = rhs[r]!;
        vector[r]! += rhs[r]!;
      }
    }
    if (prior) {
      for (let r = 0; r < dim; r++) rhs[r] = this.lambda * prior[r]!;
      solveCholeskyInPlace(a, dim, rhs);
      for (let r = 0; r < dim; r++) vector[r]! += rhs[r]!;
    }
    return { vector, shares, history };
  }
}

/** Y^T Y (dim x dim, lower and upper), computed once per model for every fold-in. */
const gramOf = (item: Float32Array, count: number, dim: number): Float64Array => {
  const g = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let r = 0; r < dim; r++) row[r] = item[i * dim + r]!;
    for (let r = 0; r < dim; r++) {
      const v = row[r]!;
      const base = r * dim;
      for (let c = 0; c <= r; c++) g[base + c]! += v * row[c]!;
    }
  }
  for (let r = 0; r < dim; r++) for (let c = 0; c < r; c++) g[c * dim + r] = g[r * dim + c]!;
  return g;
};
