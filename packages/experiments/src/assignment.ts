// Stateless assignment of users to experiment variants: the same (salt, user id) gives the same variant
// in every API process and after every restart, with nothing stored.
//
// Hash: 32-bit FNV-1a over the UTF-8 bytes (Fowler, Noll & Vo; IETF draft-eastlake-fnv, "The FNV
// Non-Cryptographic Hash Algorithm"), followed by MurmurHash3's fmix32 finaliser (Appleby, 2011) so that
// every output bit depends on every input bit: FNV-1a alone leaves the high bits of short, similar keys
// ("u-1", "u-2") correlated, which would skew the buckets of sequential user ids.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** FNV-1a (32 bit) of the UTF-8 bytes of `text`, finalised with fmix32; an unsigned 32-bit integer. */
export const hashKey = (text: string): number => {
  const bytes = encoder.encode(text);
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, FNV_PRIME);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** A point in [0, 1) fixed by (salt, purpose, user id). */
export const bucketOf = (salt: string, userId: string, purpose = "variant"): number =>
  hashKey(`${salt}\u0000${purpose}\u0000${userId}`) / 4294967296;

export type TTrafficPlan = {
  /** Experiment salt: a new salt reshuffles everyone, the same salt never does. */
  salt: string;
  /** Share of traffic of each variant, in variant order; non-negative, summing to 1. */
  shares: readonly number[];
  /** Share of all users who enter the experiment at all (0, 1]; the rest get the control and are not counted. */
  coverage?: number;
};

/** Throws a RangeError naming what is wrong with a plan's shares or coverage. */
export const checkTrafficPlan = (plan: TTrafficPlan): void => {
  if (plan.salt.length === 0) throw new RangeError("salt is empty");
  if (plan.shares.length < 2)
    throw new RangeError(`an experiment needs at least 2 variants, got ${plan.shares.length}`);
  plan.shares.forEach((share, index) => {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`shares[${index}] = ${share} is not within [0, 1]`);
  });
  const total = plan.shares.reduce((sum, share) => sum + share, 0);
  if (Math.abs(total - 1) > 1e-6) throw new RangeError(`shares sum to ${total}, not 1`);
  const coverage = plan.coverage ?? 1;
  if (!(coverage > 0 && coverage <= 1)) throw new RangeError(`coverage ${coverage} is not within (0, 1]`);
};

/**
 * The variant index of a user, or -1 when the user falls outside the experiment's coverage.
 * Coverage uses its own hash, so widening coverage adds users without moving anyone between variants.
 */
export const assignVariant = (plan: TTrafficPlan, userId: string): number => {
  const coverage = plan.coverage ?? 1;
  if (coverage < 1 && bucketOf(plan.salt, userId, "coverage") >= coverage) return -1;
  const point = bucketOf(plan.salt, userId);
  let cumulative = 0;
  for (let v = 0; v < plan.shares.length; v++) {
    cumulative += plan.shares[v]!;
    if (point < cumulative) return v;
  }
  // Rounding of the cumulative sum: the last variant with a share takes the rest.
  for (let v = plan.shares.length - 1; v >= 0; v--) if (plan.shares[v]! > 0) return v;
  return 0;
};
