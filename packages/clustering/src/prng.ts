// Seeded PRNG so every clustering run is reproducible from its seed: the platform's one generator
// (@dam/vocabulary/prng, mulberry32), with seeds first mixed by the splitmix32 finaliser so that
// neighbouring seeds (restart r and r + 1) give unrelated streams.
import { mixSeed, mulberry32, type TRng } from "@dam/vocabulary/prng";

export type Rng = TRng;

/** Floats in [0, 1), fully determined by `seed`. */
export function createRng(seed: number): Rng {
  return mulberry32(mixSeed(seed >>> 0));
}

/** Standard normal via Box-Muller; 1 - u keeps log() away from 0. */
export function sampleNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `k` distinct indices of [0, n) in random order (partial Fisher-Yates). */
export function sampleIndices(rng: Rng, n: number, k: number): Int32Array {
  if (k > n) throw new RangeError(`cannot sample ${k} distinct indices from ${n}`);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}
