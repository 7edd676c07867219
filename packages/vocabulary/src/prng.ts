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
