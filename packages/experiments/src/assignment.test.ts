import { describe, expect, it } from "vitest";
import { assignVariant, checkTrafficPlan, hashKey } from "./assignment.ts";

describe("assignVariant", () => {
  it("hashes FNV-1a then fmix32 deterministically", () => {
    // FNV-1a 32 of "a" is 0xe40c292c (draft-eastlake-fnv test vector); fmix32 of it is fixed too.
    expect(hashKey("a")).toBe(hashKey("a"));
    expect(hashKey("a")).not.toBe(hashKey("b"));
  });

  it("gives each user the same variant every time and follows the shares", () => {
    const plan = { salt: "exp-1", shares: [0.5, 0.3, 0.2] };
    const counts = [0, 0, 0];
    for (let u = 0; u < 30000; u++) {
      const v = assignVariant(plan, `user-${u}`);
      expect(assignVariant(plan, `user-${u}`)).toBe(v);
      counts[v]! += 1;
    }
    // Binomial sd of 30,000 x 0.5 is 87: four sd either side.
    expect(Math.abs(counts[0]! - 15000)).toBeLessThan(350);
    expect(Math.abs(counts[1]! - 9000)).toBeLessThan(320);
    expect(Math.abs(counts[2]! - 6000)).toBeLessThan(280);
  });

  it("reshuffles with a new salt and is independent between experiments", () => {
    const a = { salt: "exp-a", shares: [0.5, 0.5] };
    const b = { salt: "exp-b", shares: [0.5, 0.5] };
    let same = 0;
    for (let u = 0; u < 10000; u++) if (assignVariant(a, `u${u}`) === assignVariant(b, `u${u}`)) same += 1;
    expect(Math.abs(same - 5000)).toBeLessThan(250);
  });

  it("widening coverage adds users without moving any", () => {
    const narrow = { salt: "exp-c", shares: [0.5, 0.5], coverage: 0.2 };
    const wide = { ...narrow, coverage: 0.6 };
    let inNarrow = 0;
    for (let u = 0; u < 10000; u++) {
      const before = assignVariant(narrow, `u${u}`);
      if (before < 0) continue;
      inNarrow += 1;
      expect(assignVariant(wide, `u${u}`)).toBe(before);
    }
    expect(Math.abs(inNarrow - 2000)).toBeLessThan(200);
  });

  it("refuses shares that do not sum to one", () => {
    expect(() => checkTrafficPlan({ salt: "s", shares: [0.5, 0.4] })).toThrow(/sum to 0.9/);
    expect(() => checkTrafficPlan({ salt: "s", shares: [1] })).toThrow(/at least 2/);
    expect(() => checkTrafficPlan({ salt: "s", shares: [0.5, 0.5], coverage: 0 })).toThrow(/coverage/);
  });
});
