import { describe, expect, it } from "vitest";
import { escapeCsvField, neutraliseFormula, toCsvLine } from "./csv-format.ts";

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

  it("neutralises cells a spreadsheet would evaluate (OWASP CSV injection)", () => {
    expect(escapeCsvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(escapeCsvField("=1+1")).toBe("'=1+1");
    expect(escapeCsvField("+1-2")).toBe("'+1-2");
    expect(escapeCsvField("-2+3")).toBe("'-2+3");
    expect(escapeCsvField("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(escapeCsvField("\t=cmd")).toBe("'\t=cmd");
    expect(escapeCsvField("\r=cmd")).toBe('"\'\r=cmd"');
    // Only the first character counts; numbers stay numbers.
    expect(escapeCsvField("a=b")).toBe("a=b");
    expect(escapeCsvField(-5)).toBe("-5");
    expect(neutraliseFormula("")).toBe("");
    expect(toCsvLine(["data.csv", 3, null, "not an integer", "=cmd|' /C calc'!A0"])).toBe(
      "data.csv,3,,not an integer,'=cmd|' /C calc'!A0\r\n",
    );
  });
});
