import { describe, expect, it } from "vitest";
import { erasureHint, lineNamesSubject, parseErasureSubject } from "./erasure-subject.ts";

describe("parseErasureSubject", () => {
  it("reads emails case-insensitively and ids exactly", () => {
    expect(parseErasureSubject("  Jane.Doe@Example.com ")).toEqual({
      kind: "EMAIL",
      value: "jane.doe@example.com",
    });
    expect(parseErasureSubject("U-1234")).toEqual({ kind: "USER_ID", value: "U-1234" });
  });
  it("refuses input that names nobody", () => {
    expect(parseErasureSubject("   ")).toEqual({ error: "name a user id or an email" });
    expect(parseErasureSubject("a@b")).toEqual({ error: `"@" present but not an email address` });
    expect(parseErasureSubject("x".repeat(400))).toEqual({ error: "at most 320 characters" });
  });
  it("hints without revealing", () => {
    expect(erasureHint({ kind: "EMAIL", value: "jane@example.com" })).toBe("j***@example.com");
    expect(erasureHint({ kind: "USER_ID", value: "u12345" })).toBe("u1***");
    expect(erasureHint({ kind: "USER_ID", value: "7" })).toBe("7***");
  });
});

describe("lineNamesSubject", () => {
  const user = [{ kind: "USER_ID" as const, value: "u1" }];
  it("matches whole fields only", () => {
    expect(lineNamesSubject("u1,i9,view,2026-01-01", user)).toBe(true);
    expect(lineNamesSubject("u10,i9,view,2026-01-01", user)).toBe(false);
    expect(lineNamesSubject('{"user_id":"u1","item":"i9"}', user)).toBe(true);
    expect(lineNamesSubject('"u1","i9"', user)).toBe(true);
  });
  it("matches emails without regard to case", () => {
    const email = [{ kind: "EMAIL" as const, value: "jane@example.com" }];
    expect(lineNamesSubject("7,Jane@Example.COM,Jane", email)).toBe(true);
    expect(lineNamesSubject("7,jane@example.community,Jane", email)).toBe(false);
  });
});
