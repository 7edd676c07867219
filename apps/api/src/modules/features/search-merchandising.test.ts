import { describe, expect, it } from "vitest";
import {
  foldQuery,
  isRuleActive,
  ruleMatchesQuery,
  ZSearchRuleInput,
} from "./search-merchandising.service.ts";

describe("merchandising rule matching", () => {
  it("folds case, width and spacing the same way for rules and searches", () => {
    expect(foldQuery("  Steel\tLAMP  ")).toBe("steel lamp");
    expect(foldQuery("ＬＡＭＰ")).toBe("lamp");
  });

  it("matches EXACT whole queries and CONTAINS runs of whole words only", () => {
    expect(ruleMatchesQuery({ match: "EXACT", query: "steel lamp" }, "steel lamp")).toBe(true);
    expect(ruleMatchesQuery({ match: "EXACT", query: "steel lamp" }, "steel lamps")).toBe(false);
    expect(ruleMatchesQuery({ match: "CONTAINS", query: "lamp" }, "red lamp shade")).toBe(true);
    expect(ruleMatchesQuery({ match: "CONTAINS", query: "lamp" }, "lampshade")).toBe(false);
    expect(ruleMatchesQuery({ match: "CONTAINS", query: "red lamp" }, "a red lamp")).toBe(true);
    expect(ruleMatchesQuery({ match: "CONTAINS", query: "red lamp" }, "lamp red")).toBe(false);
  });

  it("applies a rule within [startsAt, endsAt)", () => {
    const startsAt = new Date("2026-12-01T00:00:00Z");
    const endsAt = new Date("2026-12-02T00:00:00Z");
    expect(isRuleActive({ startsAt, endsAt }, startsAt)).toBe(true);
    expect(isRuleActive({ startsAt, endsAt }, endsAt)).toBe(false);
    expect(isRuleActive({ startsAt: null, endsAt: null }, endsAt)).toBe(true);
  });

  it("refuses control characters, lone surrogates and a window that ends before it starts", () => {
    const base = { query: "lamp", match: "EXACT", action: "PIN", target: "ITEM", value: "P1" } as const;
    expect(ZSearchRuleInput.safeParse(base).success).toBe(true);
    expect(ZSearchRuleInput.safeParse({ ...base, query: "la\u0000mp" }).success).toBe(false);
    expect(ZSearchRuleInput.safeParse({ ...base, value: "P\uD800" }).success).toBe(false);
    expect(
      ZSearchRuleInput.safeParse({ ...base, startsAt: new Date(2030, 1, 2), endsAt: new Date(2030, 1, 1) })
        .success,
    ).toBe(false);
  });
});
