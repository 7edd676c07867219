// Seeded randomness for fits and splits: every model and split in this package must be reproducible
// from its seed. The generator is the platform's one PRNG (@dam/vocabulary/prng, mulberry32).
import { mulberry32, type TRng } from "@dam/vocabulary/prng";

export { randomNormal, shuffleInPlace } from "@dam/vocabulary/prng";

export type { TRng };

/** Floats in [0, 1). */
export const createRng = (seed: number): TRng => mulberry32(seed);

/** Integer in [0, n). */
export const randomIndex = (rng: TRng, n: number): number => Math.floor(rng() * n);
