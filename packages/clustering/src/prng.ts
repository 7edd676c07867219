// Seeded PRNG so every clustering run is reproducible from its seed: the platform's one generator
// (@dam/vocabulary/prng, mulberry32), with seeds first mixed by the splitmix32 finaliser so that
// neighbouring seeds (restart r and r + 1) give unrelated streams.
import { mixSeed, mulberry32, type TRng } from "@dam/vocabulary/prng";

export { randomNormal, sampleIndices } from "@dam/vocabulary/prng";

export type Rng = TRng;

/** Floats in [0, 1), fully determined by `seed`. */
export function createRng(seed: number): Rng {
  return mulberry32(mixSeed(seed >>> 0));
}
