import { describe, expect, it } from "vitest";
import { maskValue, pseudonymise, REDACTED } from "./masking.ts";

describe("masking", () => {
  it("redacts", () => {
    expect(maskValue("ann@example.com", "EMAIL", "REDACT", null)).toBe(REDACTED);
  });

  it("shows partial values that no longer identify the person", () => {
    expect(maskValue("john@example.com", "EMAIL", "PARTIAL", null)).toBe("j***@example.com");
    expect(maskValue("4111 1111 1111 1111", "PAYMENT_CARD", "PARTIAL", null)).toBe("**** **** **** 1111");
    expect(maskValue("+44 20 7946 0958", "PHONE", "PARTIAL", null)).toBe("+** ** **** **58");
    expect(maskValue("Maria Garcia", "PERSON_NAME", "PARTIAL", null)).toBe("M*** G***");
    expect(maskValue("GB82WEST12345698765432", "IBAN", "PARTIAL", null)).toBe("GB********5432");
    expect(maskValue("192.168.10.20", "IP_ADDRESS", "PARTIAL", null)).toBe("192.168.*.*");
  });

  it("gives the same keyed pseudonym to the same person and a different one under another key", () => {
    const a = pseudonymise("John@Example.com ", "EMAIL", "secret-1");
    expect(a).toBe(pseudonymise("john@example.com", "EMAIL", "secret-1"));
    expect(a).toMatch(/^pii_[0-9a-f]{20}$/);
    expect(a).not.toBe(pseudonymise("john@example.com", "EMAIL", "secret-2"));
    expect(pseudonymise("+44 20 7946 0958", "PHONE", "k")).toBe(pseudonymise("+442079460958", "PHONE", "k"));
  });

  it("masks only the PII inside free text", () => {
    expect(maskValue("Mail ann@example.com today", "FREE_TEXT", "PARTIAL", null)).toBe(
      "Mail a***@example.com today",
    );
    expect(maskValue("Mail ann@example.com today", "FREE_TEXT", "REDACT", null)).toBe(REDACTED);
    expect(maskValue("Mail ann@example.com today", "FREE_TEXT", "HASH", "k")).toMatch(
      /^Mail pii_[0-9a-f]{20} today$/,
    );
  });
});
