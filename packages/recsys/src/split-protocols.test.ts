import { describe, expect, it } from "vitest";
import { buildInteractionLog, type TInteraction } from "./interaction-log.ts";
import {
  globalTimeSplit,
  holdoutWithinTrain,
  leaveLastOut,
  randomSplitPerUser,
  recboleSplitSizes,
  roundHalfEven,
  stratifiedSplitPerUser,
} from "./split-protocols.ts";

/** Users with 10, 25, 5 and 2 interactions; timestamps increasing per user, item = position. */
const sample = (): TInteraction[] =>
  [10, 25, 5, 2].flatMap((n, u) =>
    Array.from({ length: n }, (_, k) => ({
      user: `u${u}`,
      item: `i${k}`,
      weight: 1,
      timestamp: 100 * u + k,
    })),
  );

describe("recboleSplitSizes (RecBole _calcu_split_ids)", () => {
  it("floors the minor parts and gives the rest to training", () => {
    expect(recboleSplitSizes(10, [0.8, 0.1, 0.1])).toEqual([8, 1, 1]);
    expect(recboleSplitSizes(25, [0.8, 0.1, 0.1])).toEqual([21, 2, 2]);
    // 0.5 of an item: each minor part takes one while training keeps more than one.
    expect(recboleSplitSizes(5, [0.8, 0.1, 0.1])).toEqual([3, 1, 1]);
    expect(recboleSplitSizes(2, [0.8, 0.1, 0.1])).toEqual([1, 0, 1]);
  });
});

describe("randomSplitPerUser", () => {
  const log = buildInteractionLog(sample());

  it("splits each user 8:1:1 into disjoint parts covering the log", () => {
    const split = randomSplitPerUser(log, 2020);
    expect(split.protocol).toBe("recbole-rs-8-1-1-full");
    expect([split.train.length, split.valid.length, split.test.length]).toEqual([
      8 + 21 + 3 + 1,
      1 + 2 + 1 + 0,
      1 + 2 + 1 + 1,
    ]);
    const all = [...split.train, ...split.valid, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 42 }, (_, k) => k));
    const perUser = (part: Int32Array, u: number) =>
      Array.from(part).filter((k) => log.users[k] === u).length;
    expect([perUser(split.train, 1), perUser(split.valid, 1), perUser(split.test, 1)]).toEqual([21, 2, 2]);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expect(randomSplitPerUser(log, 7)).toEqual(randomSplitPerUser(log, 7));
    expect(randomSplitPerUser(log, 7).test).not.toEqual(randomSplitPerUser(log, 8).test);
  });
});

describe("leaveLastOut", () => {
  it("holds out each user's latest interaction for test and the one before for validation", () => {
    const rows = sample().reverse(); // log order must not matter, time does
    const log = buildInteractionLog(rows);
    const split = leaveLastOut(log);
    const items = (part: Int32Array) =>
      Array.from(part, (k) => `${log.userIds[log.users[k]!]}:${log.itemIds[log.items[k]!]}`);
    expect(items(split.test).sort()).toEqual(["u0:i9", "u1:i24", "u2:i4"]);
    expect(items(split.valid).sort()).toEqual(["u0:i8", "u1:i23", "u2:i3"]);
    // u3 has only 2 interactions: all training.
    expect(split.train.length).toBe(8 + 23 + 3 + 2);
  });
});

describe("globalTimeSplit", () => {
  it("cuts every user at the same instants", () => {
    const log = buildInteractionLog(sample());
    const split = globalTimeSplit(log, 200, 300);
    expect(Array.from(split.test, (k) => log.timestamps[k])).toEqual([300, 301]);
    expect(split.valid.length).toBe(5);
    expect(split.train.length).toBe(35);
    expect(Math.max(...Array.from(split.train, (k) => log.timestamps[k]!))).toBeLessThan(200);
  });
});

describe("Microsoft Recommenders' stratified split", () => {
  const log = buildInteractionLog(sample());

  it("rounds half to even like Python", () => {
    expect([16.5, 17.5, 2.5, 3.75, 7.5, 0.5].map(roundHalfEven)).toEqual([16, 18, 2, 4, 8, 0]);
  });

  it("puts round(0.75 n) of each user's interactions in train, the rest in test", () => {
    const split = stratifiedSplitPerUser(log, 42);
    expect(split.protocol).toBe("msr-stratified-75-25-unseen");
    const perUser = (part: Int32Array, u: number) =>
      Array.from(part).filter((k) => log.users[k] === u).length;
    // n = 10, 25, 5, 2: 7.5 -> 8, 18.75 -> 19, 3.75 -> 4, 1.5 -> 2.
    expect([0, 1, 2, 3].map((u) => perUser(split.train, u))).toEqual([8, 19, 4, 2]);
    expect([0, 1, 2, 3].map((u) => perUser(split.test, u))).toEqual([2, 6, 1, 0]);
    expect(split.valid).toHaveLength(0);
    const all = [...split.train, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 42 }, (_, k) => k));
    expect(stratifiedSplitPerUser(log, 42).test).toEqual(split.test);
    expect(stratifiedSplitPerUser(log, 43).test).not.toEqual(split.test);
  });

  it("carves a per-user validation part out of train only", () => {
    const split = stratifiedSplitPerUser(log, 42);
    const inner = holdoutWithinTrain(log, split, 7, 0.25);
    expect(inner.test).toBe(split.test);
    expect([...inner.train, ...inner.valid].sort((a, b) => a - b)).toEqual(
      Array.from(split.train).sort((a, b) => a - b),
    );
    const perUser = (part: Int32Array, u: number) =>
      Array.from(part).filter((k) => log.users[k] === u).length;
    // 0.25 of 8, 19, 4, 2 train items: 2, 4.75 -> 5, 1, 0.5 -> 0.
    expect([0, 1, 2, 3].map((u) => perUser(inner.valid, u))).toEqual([2, 5, 1, 0]);
  });
});
