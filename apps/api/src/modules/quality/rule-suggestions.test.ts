import { describe, expect, it } from "vitest";
import type { TColumnProfile } from "../column-stats/profile-schema.ts";
import { suggestRules } from "./rule-suggestions.ts";

const column = (overrides: Partial<TColumnProfile> & { name: string; type: string }): TColumnProfile => ({
  nullCount: 0,
  nullFraction: 0,
  distinctCount: 100,
  min: null,
  max: null,
  mean: null,
  stddev: null,
  quantiles: [],
  histogram: [],
  topValues: [],
  minLength: null,
  maxLength: null,
  meanLength: null,
  ...overrides,
});

const profile = (columns: TColumnProfile[]) => ({
  formatVersion: 1 as const,
  rowCount: 100,
  computedAt: "2026-12-01T00:00:00Z",
  seconds: 0.1,
  columns,
});

describe("suggestRules", () => {
  it("suggests not-null, unique ids, a non-negative price, allowed sets and per-category outliers", () => {
    const rules = suggestRules({
      kind: "CATALOG",
      roles: { item_id: "itemId", price: "price", category: "category", note: null },
      references: [],
      profile: profile([
        column({ name: "item_id", type: "text", distinctCount: 100 }),
        column({ name: "price", type: "decimal", nullCount: 3, nullFraction: 0.03 }),
        column({
          name: "category",
          type: "text",
          distinctCount: 3,
          topValues: [
            { value: "toys", count: 50 },
            { value: "garden", count: 30 },
            { value: "books", count: 20 },
          ],
        }),
        column({ name: "note", type: "text", nullCount: 90, distinctCount: 4 }),
      ]),
    });
    expect(rules.map((rule) => [rule.name, rule.type, rule.severity])).toEqual([
      ["item_id not null", "not_null", "ERROR"],
      ["item_id unique", "unique", "ERROR"],
      ["price positive", "range", "ERROR"],
      ["price outliers by category", "outlier", "WARN"],
      ["category not null", "not_null", "WARN"],
      ["category allowed values", "allowed_set", "WARN"],
    ]);
    expect(rules.find((rule) => rule.type === "allowed_set")?.params).toEqual({
      column: "category",
      values: ["books", "garden", "toys"],
    });
  });

  it("puts a range on the far-out fences of other numbers and a reference on event ids", () => {
    const rules = suggestRules({
      kind: "EVENTS",
      roles: { item_id: "itemId", dwell: null },
      references: [
        { datasetId: "c1", datasetName: "products", kind: "CATALOG", column: "sku", role: "itemId" },
        { datasetId: "u1", datasetName: "users", kind: "USERS", column: "user_id", role: "userId" },
      ],
      profile: profile([
        column({ name: "item_id", type: "text", nullCount: 1, distinctCount: 40 }),
        column({
          name: "dwell",
          type: "integer",
          nullCount: 2,
          quantiles: [
            { p: 0.25, value: 10 },
            { p: 0.75, value: 30 },
          ],
        }),
      ]),
    });
    expect(rules).toEqual([
      expect.objectContaining({
        name: "item_id in products",
        type: "ref_integrity",
        params: { column: "item_id", refDatasetId: "c1", refColumn: "sku" },
      }),
      // Q1 - 3 IQR = -50, Q3 + 3 IQR = 90
      expect.objectContaining({ name: "dwell range", params: { column: "dwell", min: -50, max: 90 } }),
    ]);
  });

  it("suggests nothing for an empty version", () => {
    expect(
      suggestRules({ kind: "OTHER", roles: {}, references: [], profile: { ...profile([]), rowCount: 0 } }),
    ).toEqual([]);
  });
});
