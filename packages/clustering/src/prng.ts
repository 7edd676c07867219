// Seeded PRNG so every clustering run is reproducible from its seed; Math.random cannot be seeded.
// Generator: mulberry32 by Tommy Ettinger (public domain),
// https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
// Seeds are first mixed with the splitmix32 finaliser (Steele, Lea & Flood, OOPSLA 2014) so that
// neighbouring seeds (restart r and r + 1) give unrelated streams.

export type Rng = () => number;

export function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Floats in [0, 1), fully determined by `seed`. */
export function createRng(seed: number): Rng {
  let a = mixSeed(seed >>> 0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
