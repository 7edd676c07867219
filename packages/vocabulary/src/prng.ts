// The seeded PRNG of the platform: Math.random cannot be seeded, and every fit, split, sample and
// generated data set must be reproducible from its seed.
//
// Generator: mulberry32 by Tommy Ettinger (public domain),
// https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
// Seed mixer: the splitmix32 finaliser (Steele, Lea & Flood, "Fast Splittable Pseudorandom Number
// Generators", OOPSLA 2014), for callers whose neighbouring seeds (restart r and r + 1, or a label's
// hash) must give unrelated streams.

export type TRng = () => number;

/** Uniform floats in [0, 1), fully determined by the 32-bit `seed`. */
export const mulberry32 = (seed: number): TRng => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** splitmix32's finaliser: a 32-bit seed scrambled so that close seeds land far apart. */
export const mixSeed = (seed: number): number => {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
};

/** Standard normal draw via Box-Muller (one of the pair); 1 - u keeps log() away from 0. */
export const randomNormal = (rng: TRng): number => {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/** Fisher-Yates shuffle in place (Durstenfeld's form, last slot first). */
export const shuffleInPlace = <T>(rng: TRng, values: { length: number; [i: number]: T }): void => {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
};

/** `k` distinct indices of [0, n) in random order: the first `k` steps of a forward Fisher-Yates. */
export const sampleIndices = (rng: TRng, n: number, k: number): Int32Array => {
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
};
