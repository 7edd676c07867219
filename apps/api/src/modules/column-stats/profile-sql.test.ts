import { describe, expect, it } from "vitest";
import { buildBasicStatsSql, buildQuantilesSql, HISTOGRAM_BINS, histogramBounds } from "./profile-sql.ts";

describe("profile SQL", () => {
  it("quotes identifiers and keeps column names out of aliases", () => {
    const sql = buildBasicStatsSql('"data"."t"', [{ name: 'we"ird', type: "text" }]);
    expect(sql).toContain('count(DISTINCT "we""ird")');
    expect(sql).toContain("AS c0_mean_length");
    expect(sql).not.toContain('min("we""ird") AS');
  });

  it("computes quantiles only for measurable columns, discrete for integers", () => {
    const query = buildQuantilesSql('"data"."t"', [
      { name: "n", type: "integer" },
      { name: "label", type: "text" },
      { name: "at", type: "timestamp" },
    ]);
    expect(query?.indexes).toEqual([0, 2]);
    expect(query?.sql).toMatch(/percentile_disc\(.*\) WITHIN GROUP \(ORDER BY "n"::float8\) AS c0_q/);
    expect(query?.sql).toContain("percentile_cont(ARRAY[0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]::float8[])");
    expect(query?.sql).toContain('extract(epoch from "at")::float8) AS c2_q');
    expect(buildQuantilesSql('"data"."t"', [{ name: "b", type: "boolean" }])).toBeNull();
  });

  it("splits [min, max] into equal bins whose last bin ends exactly at max", () => {
    const bins = histogramBounds(0, 10);
    expect(bins).toHaveLength(HISTOGRAM_BINS);
    expect(bins[0]).toEqual({ lower: 0, upper: 0.5 });
    expect(bins[HISTOGRAM_BINS - 1]?.upper).toBe(10);
    expect(histogramBounds(3, 3)).toEqual([{ lower: 3, upper: 3 }]);
  });
});
