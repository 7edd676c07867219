// Seeded randomness for fits and splits: Math.random cannot be seeded, and every model and split in
// this package must be reproducible from its seed.
//
// mulberry32 by Tommy Ettinger (public domain),
// https://gist.github.com/tommyettinger/46a874533244883189143505d203312c

export type TRng = () => number;

/** Floats in [0, 1). */
export const createRng = (seed: number): TRng => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

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
