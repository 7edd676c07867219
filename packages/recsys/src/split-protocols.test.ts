import { describe, expect, it } from "vitest";
import { buildInteractionLog, type TInteraction } from "./interaction-log.ts";
import { globalTimeSplit, leaveLastOut, randomSplitPerUser, recboleSplitSizes } from "./split-protocols.ts";

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
