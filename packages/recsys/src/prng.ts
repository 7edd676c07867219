// Seeded randomness for fits and splits: every model and split in this package must be reproducible
// from its seed. The generator is the platform's one PRNG (@dam/vocabulary/prng, mulberry32).
import { mulberry32, type TRng } from "@dam/vocabulary/prng";

export type { TRng };

/** Floats in [0, 1). */
export const createRng = (seed: number): TRng => mulberry32(seed);

/** Integer in [0, n). */
export const randomIndex = (rng: TRng, n: number): number => Math.floor(rng() * n);

/** Standard normal via Box-Muller; 1 - u keeps log() away from 0. */
export const randomNormal = (rng: TRng): number => {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/** Fisher-Yates shuffle of a typed array, in place. */
export const shuffleInPlace = (rng: TRng, values: Int32Array): void => {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
};
