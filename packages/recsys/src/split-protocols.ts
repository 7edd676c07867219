// The three evaluation protocols. Each returns positions into an interaction log, so the caller builds
// whatever matrices it needs; the protocol name travels with the split into every reported result.
import type { TInteractionLog } from "./interaction-log.ts";
import { createRng, shuffleInPlace } from "./prng.ts";

export type TSplit = {
  protocol: string;
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
};

/** Log positions grouped by user, each group in log order. */
const positionsByUser = (log: TInteractionLog): Int32Array[] => {
  const counts = new Int32Array(log.userIds.length);
  for (const u of log.users) counts[u]!++;
  const groups = Array.from(counts, (n) => new Int32Array(n));
  counts.fill(0);
  log.users.forEach((u, k) => {
    groups[u]![counts[u]!++] = k;
  });
  return groups;
};

/**
 * RecBole's split sizes (recbole/data/dataset/dataset.py `_calcu_split_ids`): every part but the
 * first gets floor(ratio * n), the first the rest; a part whose share is in (0, 1) takes one from
 * the first while the first keeps more than one.
 */
export const recboleSplitSizes = (total: number, ratios: readonly number[]): number[] => {
  const sum = ratios.reduce((a, b) => a + b, 0);
  const shares = ratios.map((r) => r / sum);
  const sizes = shares.map((share) => Math.floor(share * total));
  sizes[0] = total - sizes.slice(1).reduce((a, b) => a + b, 0);
  for (let i = 1; i < shares.length; i++) {
    if (sizes[0]! <= 1) break;
    const idx = shares.length - i;
    const exact = shares[idx]! * total;
    if (exact > 0 && exact < 1) {
      sizes[idx]!++;
      sizes[0]!--;
    }
  }
  return sizes;
};

/**
 * Protocol (a), RecBole's default general-recommendation setup: each user's interactions in random
 * order (RecBole `order: RO`), split train:valid:test by `ratios` (default 8:1:1) per user
 * (`group_by: user`).
 */
export const randomSplitPerUser = (
  log: TInteractionLog,
  seed: number,
  ratios: readonly [number, number, number] = [0.8, 0.1, 0.1],
): TSplit => {
  const rng = createRng(seed);
  const parts: number[][] = [[], [], []];
  for (const group of positionsByUser(log)) {
    shuffleInPlace(rng, group);
    const sizes = recboleSplitSizes(group.length, ratios);
    let at = 0;
    sizes.forEach((size, p) => {
      for (let k = 0; k < size; k++) parts[p]!.push(group[at++]!);
    });
  }
  return {
    protocol: `recbole-rs-${ratios.map((r) => Math.round(r * 10)).join("-")}-full`,
    train: Int32Array.from(parts[0]!),
    valid: Int32Array.from(parts[1]!),
    test: Int32Array.from(parts[2]!),
  };
};

/**
 * Protocol (b), chronological leave-last-out: each user's latest interaction is the test item and the
 * one before it the validation item; users with fewer than 3 interactions stay wholly in training.
 * Ties in time keep log order.
 */
export const leaveLastOut = (log: TInteractionLog): TSplit => {
  const train: number[] = [];
  const valid: number[] = [];
  const test: number[] = [];
  for (const group of positionsByUser(log)) {
    const order = Array.from(group).sort((a, b) => log.timestamps[a]! - log.timestamps[b]! || a - b);
    if (order.length < 3) {
      train.push(...order);
      continue;
    }
    test.push(order.pop()!);
    valid.push(order.pop()!);
    train.push(...order);
  }
  return {
    protocol: "leave-last-out-full",
    train: Int32Array.from(train),
    valid: Int32Array.from(valid),
    test: Int32Array.from(test),
  };
};

/**
 * Protocol (c), global time split: everything before `validFrom` trains, [validFrom, testFrom)
 * validates, from `testFrom` on tests; the same cut for all users, so no future leaks into training.
 */
export const globalTimeSplit = (log: TInteractionLog, validFrom: number, testFrom: number): TSplit => {
  const train: number[] = [];
  const valid: number[] = [];
  const test: number[] = [];
  log.timestamps.forEach((t, k) => {
    if (t >= testFrom) test.push(k);
    else if (t >= validFrom) valid.push(k);
    else train.push(k);
  });
  return {
    protocol: "global-time-split-full",
    train: Int32Array.from(train),
    valid: Int32Array.from(valid),
    test: Int32Array.from(test),
  };
};

/** Python's round(): half to even (round(16.5) = 16), which Microsoft's splitters use. */
export const roundHalfEven = (x: number): number => {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
};

/**
 * Microsoft Recommenders' benchmark split (recommenders.datasets.python_splitters
 * python_stratified_split, ratio 0.75): each user's interactions shuffled, the first
 * round(ratio * n) train and the rest test, so every user appears in both. `valid` stays empty;
 * tune hyper-parameters on a further split of `train` (e.g. `holdoutWithinTrain`).
 */
export const stratifiedSplitPerUser = (log: TInteractionLog, seed: number, trainRatio = 0.75): TSplit => {
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const group of positionsByUser(log)) {
    shuffleInPlace(rng, group);
    const cut = roundHalfEven(trainRatio * group.length);
    group.forEach((k, at) => {
      (at < cut ? train : test).push(k);
    });
  }
  return {
    protocol: `msr-stratified-${Math.round(trainRatio * 100)}-${Math.round((1 - trainRatio) * 100)}-unseen`,
    train: Int32Array.from(train),
    valid: new Int32Array(0),
    test: Int32Array.from(test),
  };
};

/**
 * Carves a validation part out of a split's training positions, per user and at random (the same
 * stratified cut), for hyper-parameter selection when a protocol has no validation split of its own.
 * Returns a split whose `train` + `valid` equal the given `train`; `test` is kept.
 */
export const holdoutWithinTrain = (
  log: TInteractionLog,
  split: TSplit,
  seed: number,
  validRatio = 0.1,
): TSplit => {
  const inTrain = new Uint8Array(log.users.length);
  for (const k of split.train) inTrain[k] = 1;
  const rng = createRng(seed);
  const train: number[] = [];
  const valid: number[] = [];
  for (const group of positionsByUser(log)) {
    const own = Int32Array.from(Array.from(group).filter((k) => inTrain[k] === 1));
    shuffleInPlace(rng, own);
    const validCount = roundHalfEven(validRatio * own.length);
    own.forEach((k, at) => {
      (at < validCount ? valid : train).push(k);
    });
  }
  return {
    protocol: `${split.protocol}+valid-${Math.round(validRatio * 100)}`,
    train: Int32Array.from(train.sort((a, b) => a - b)),
    valid: Int32Array.from(valid.sort((a, b) => a - b)),
    test: split.test,
  };
};
