// Seeded randomness: byte-identical output for a given seed is the whole point of the package. The
// generator is the platform's one PRNG (@dam/vocabulary/prng: mulberry32, seeds mixed with the
// splitmix32 finaliser) so that e.g. changing the event count does not reshuffle the catalogue.
import { mixSeed, mulberry32, type TRng } from "@dam/vocabulary/prng";

export type Rng = TRng;

/** FNV-1a, only used to turn stream labels into numbers. */
function fnv1a(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An independent, reproducible stream for one generation stage. */
export function rngFor(seed: number, label: string): Rng {
  return mulberry32(mixSeed(mixSeed(seed >>> 0) ^ fnv1a(label)));
}

export function randInt(rng: Rng, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(rng() * (maxInclusive - minInclusive + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError("pick() from an empty list");
  return item;
}

/** Standard normal via Box-Muller; 1 - u keeps log() away from 0. */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Running sums, for repeated weighted sampling with sampleCumulative(). */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/** Index drawn proportionally to weight; binary search keeps 200k draws cheap. */
export function sampleCumulative(rng: Rng, cum: Float64Array): number {
  const total = cum[cum.length - 1] ?? 0;
  const target = rng() * total;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** k distinct indices from [0, n), in random order (partial Fisher-Yates). */
export function sampleIndices(rng: Rng, n: number, k: number): number[] {
  if (k > n) throw new RangeError(`cannot sample ${k} distinct indices from ${n}`);
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}
