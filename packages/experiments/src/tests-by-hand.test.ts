import { describe, expect, it } from "vitest";
import { holmAdjust } from "./holm.ts";
import { summaryOfValues } from "./metric-summary.ts";
import { twoProportionZTest, wilsonInterval } from "./proportion-test.ts";
import { relativeLift } from "./relative-lift.ts";
import { checkSampleRatio } from "./sample-ratio.ts";
import { sequentialTest } from "./sequential-test.ts";
import { welchTTest } from "./welch-test.ts";

describe("tests worked by hand", () => {
  it("two-proportion z-test", () => {
    // 200/2000 vs 250/2000: pooled p = 0.1125, se = sqrt(0.1125 * 0.8875 * (2 / 2000)) = 0.0099922,
    // z = 0.025 / 0.0099922 = 2.5020, two-sided p = 0.01235.
    const r = twoProportionZTest({ n: 2000, successes: 200 }, { n: 2000, successes: 250 });
    expect(r.z).toBeCloseTo(2.502, 3);
    expect(r.pValue).toBeCloseTo(0.01235, 4);
    // Wald interval: se = sqrt(0.1 * 0.9 / 2000 + 0.125 * 0.875 / 2000) = 0.0099844.
    expect(r.interval[0]).toBeCloseTo(0.025 - 1.959964 * 0.0099844, 5);
  });

  it("Wilson interval of 10 / 100 (Agresti & Coull 1998: 0.0552 to 0.1744)", () => {
    const [lo, hi] = wilsonInterval({ n: 100, successes: 10 });
    expect(lo).toBeCloseTo(0.0552, 4);
    expect(hi).toBeCloseTo(0.1744, 4);
  });

  it("Welch's t-test on small samples", () => {
    const a = summaryOfValues([
      27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4,
    ]);
    const b = summaryOfValues([
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4,
    ]);
    // Wikipedia "Welch's t-test", example 1 (R: t.test(b, a)): t = 2.46, df = 24.9, p = 0.021; scipy ttest_ind(equal_var=False) gives 2.4554, 24.99, 0.02138.
    const r = welchTTest(a, b);
    expect(r.t).toBeCloseTo(2.4554, 3);
    expect(r.df).toBeCloseTo(24.99, 1);
    expect(r.pValue).toBeCloseTo(0.02138, 4);
  });

  it("relative lift with the delta-method interval", () => {
    const control = summaryOfValues([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const treatment = summaryOfValues([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const r = relativeLift(control, treatment);
    expect(r.lift).toBeCloseTo(6.5 / 5.5 - 1, 10);
    // var of each mean = 9.1667 / 10; se = sqrt(0.91667 / 5.5^2 + 6.5^2 * 0.91667 / 5.5^4) = sqrt(0.030303 + 0.042323) = 0.26949.
    expect(r.interval![1] - r.lift!).toBeCloseTo(1.959964 * 0.26949, 4);
  });

  it("Holm adjustment (Wright 1992 style)", () => {
    // sorted 0.01, 0.02, 0.04 with m = 3: 0.03, max(0.03, 0.04) = 0.04, max(0.04, 0.04) = 0.04.
    expect(holmAdjust([0.04, 0.01, 0.02])).toEqual([0.04, 0.03, 0.04]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });

  it("sample-ratio check", () => {
    // 5,200 vs 4,800 on 50/50: chi-square = 2 * 200^2 / 5000 = 16, p = 6.3e-5.
    const r = checkSampleRatio([5200, 4800], [0.5, 0.5]);
    expect(r.chiSquare).toBeCloseTo(16, 10);
    expect(r.pValue).toBeCloseTo(6.33e-5, 6);
    expect(r.mismatch).toBe(true);
    expect(checkSampleRatio([5030, 4970], [0.5, 0.5]).mismatch).toBe(false);
  });

  it("sequential test: likelihood ratio 1 at no difference and an interval wider than the fixed one", () => {
    const c = summaryOfValues(Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 1 : 0)));
    const t = summaryOfValues(Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 1 : 0)));
    const r = sequentialTest(c, t, { alpha: 0.05, plannedUsersPerVariant: 400 });
    expect(r.difference).toBe(0);
    expect(r.likelihoodRatio).toBeLessThan(1);
    expect(r.pValue).toBe(1);
    const fixed = twoProportionZTest({ n: 400, successes: 40 }, { n: 400, successes: 40 });
    expect(r.interval[1]).toBeGreaterThan(fixed.interval[1]);
  });
});
