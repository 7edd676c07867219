import { describe, expect, it } from "vitest";
import { inferColumnType, parseCell, parseTimestamp } from "./type-inference.ts";

describe("inferColumnType", () => {
  it("picks the narrowest type every non-empty value fits", () => {
    expect(inferColumnType(["1", "-2", "", "30"])).toBe("integer");
    expect(inferColumnType(["1", "2.5", "3e2"])).toBe("decimal");
    expect(inferColumnType(["yes", "no", "Y"])).toBe("boolean");
    expect(inferColumnType(["2026-11-01T10:00:00Z", "2026-11-02"])).toBe("timestamp");
    expect(inferColumnType(["12/1/2010 8:26", "1/12/2011 14:05"])).toBe("timestamp");
    expect(inferColumnType(["85123A", "71053"])).toBe("text");
    expect(inferColumnType(["", " "])).toBe("text");
  });

  it("does not call 0/1 columns boolean (they are integers)", () => {
    expect(inferColumnType(["0", "1", "1"])).toBe("integer");
  });
});

describe("parseCell", () => {
  it("returns null for empty cells and a reason for bad ones", () => {
    expect(parseCell("integer", "")).toEqual({ ok: true, value: null });
    expect(parseCell("integer", "12x")).toEqual({ ok: false, reason: 'not an integer: "12x"' });
    expect(parseCell("decimal", " 2.50 ")).toEqual({ ok: true, value: 2.5 });
    expect(parseCell("boolean", "maybe")).toEqual({ ok: false, reason: 'not a boolean: "maybe"' });
  });

  it("keeps text verbatim, including surrounding spaces", () => {
    expect(parseCell("text", " a, b ")).toEqual({ ok: true, value: " a, b " });
  });
});

describe("parseTimestamp", () => {
  it("reads zone-less times as UTC and rejects impossible dates", () => {
    expect(parseTimestamp("2026-11-01 10:30:00")?.toISOString()).toBe("2026-11-01T10:30:00.000Z");
    expect(parseTimestamp("12/1/2010 8:26")?.toISOString()).toBe("2010-12-01T08:26:00.000Z");
    expect(parseTimestamp("2/30/2011 10:00")).toBeNull();
    expect(parseTimestamp("yesterday")).toBeNull();
  });
});
