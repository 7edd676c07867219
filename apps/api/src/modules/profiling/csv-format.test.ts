import { describe, expect, it } from "vitest";
import { escapeCsvField, toCsvLine } from "./csv-format.ts";

describe("CSV formatting", () => {
  it("quotes fields with delimiters, quotes and line breaks and doubles the quotes", () => {
    expect(escapeCsvField("plain")).toBe("plain");
    expect(escapeCsvField('5,"Bad "quote"')).toBe('"5,""Bad ""quote"""');
    expect(escapeCsvField("two\nlines")).toBe('"two\nlines"');
    expect(escapeCsvField(null)).toBe("");
    expect(escapeCsvField(42)).toBe("42");
  });

  it("ends each line with CRLF", () => {
    expect(toCsvLine(["a", null, 3])).toBe("a,,3\r\n");
  });
});
