import { describe, expect, it } from "vitest";
import {
  accumulateProfileVectors,
  fillCounts,
  fillShares,
  OTHER_CATEGORY,
  pickTopKeys,
} from "./profile-matrix.ts";

const users = new Map([
  ["u1", 0],
  ["u2", 1],
]);

describe("pickTopKeys", () => {
  it("keeps the keys with most events and pools the rest as (other)", () => {
    const rows = [
      { user_id: "u1", key: "garden", n: 5, weight: 1 },
      { user_id: "u2", key: "kitchen", n: 3, weight: 9 },
      { user_id: "u2", key: "toys", n: 1, weight: 1 },
    ];
    expect(pickTopKeys(rows, 2)).toEqual({ keys: ["garden", "kitchen", OTHER_CATEGORY], pooled: true });
    expect(pickTopKeys(rows, 3)).toEqual({ keys: ["garden", "kitchen", "toys"], pooled: false });
  });
});

describe("fillShares / fillCounts", () => {
  it("writes per-user shares that sum to 1, pooling unknown keys into (other)", () => {
    const rows = [
      { user_id: "u1", key: "garden", n: 3, weight: 0 },
      { user_id: "u1", key: "toys", n: 1, weight: 0 },
      { user_id: "u2", key: "kitchen", n: 2, weight: 0 },
    ];
    const out = new Float32Array(2 * 4);
    fillShares(rows, users, ["garden", "kitchen", OTHER_CATEGORY], out, 4, 1);
    expect(Array.from(out)).toEqual([0, 0.75, 0, 0.25, 0, 0, 1, 0]);
  });

  it("leaves a user without events at zero and counts raw events", () => {
    const out = new Float32Array(2 * 2);
    fillShares([{ user_id: "u2", key: "view", n: 4, weight: 4 }], users, ["view", "cart"], out, 2, 0);
    expect(Array.from(out)).toEqual([0, 0, 1, 0]);
    const counts = new Float32Array(2 * 2);
    fillCounts(
      [
        { user_id: "u1", key: "cart", n: 2, weight: 8 },
        { user_id: "u2", key: "view", n: 4, weight: 4 },
      ],
      users,
      ["view", "cart"],
      counts,
      2,
      0,
    );
    expect(Array.from(counts)).toEqual([0, 2, 4, 0]);
  });
});

describe("accumulateProfileVectors", () => {
  it("is the weight-averaged item vector; items without a vector are left out", () => {
    // u1: 3 x (1, 0) + 1 x (0, 1) over weight 4 = (0.75, 0.25); the unknown item adds nothing.
    const items = {
      index: new Map([
        ["a", 0],
        ["b", 1],
      ]),
      data: new Float32Array([1, 0, 0, 1]),
      dimension: 2,
    };
    const out = new Float32Array(4);
    const without = accumulateProfileVectors(
      [
        { user_id: "u1", item_id: "a", weight: 3 },
        { user_id: "u1", item_id: "b", weight: 1 },
        { user_id: "u1", item_id: "zzz", weight: 100 },
        { user_id: "u2", item_id: "zzz", weight: 2 },
      ],
      users,
      items,
      out,
    );
    expect(Array.from(out)).toEqual([0.75, 0.25, 0, 0]);
    expect(without).toBe(1);
  });
});
