import { describe, expect, it } from "vitest";
import { generateSessionToken, hashSessionToken, sessionRefusal } from "./console-session.service.ts";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const IDLE = 60 * 60_000;
const at = (offsetMs: number) => new Date(NOW + offsetMs);
const live = {
  revokedAt: null,
  expiresAt: at(3_600_000),
  lastSeenAt: at(-60_000),
  apiKey: { revokedAt: null, expiresAt: null },
};

describe("sessionRefusal", () => {
  it("accepts a live session of a live key", () => {
    expect(sessionRefusal(live, NOW, IDLE)).toBeNull();
  });

  it("refuses at the idle boundary, not one millisecond before", () => {
    expect(sessionRefusal({ ...live, lastSeenAt: at(-IDLE + 1) }, NOW, IDLE)).toBeNull();
    expect(sessionRefusal({ ...live, lastSeenAt: at(-IDLE) }, NOW, IDLE)).toBe("IDLE");
  });

  it("refuses at the absolute expiry however recent the activity", () => {
    expect(sessionRefusal({ ...live, expiresAt: at(0), lastSeenAt: at(0) }, NOW, IDLE)).toBe("EXPIRED");
    expect(sessionRefusal({ ...live, expiresAt: at(1) }, NOW, IDLE)).toBeNull();
  });

  it("refuses a revoked session first, then one whose key is revoked or expired", () => {
    const keyRevoked = { ...live, apiKey: { revokedAt: at(-1), expiresAt: null } };
    expect(sessionRefusal({ ...keyRevoked, revokedAt: at(-1) }, NOW, IDLE)).toBe("REVOKED");
    expect(sessionRefusal(keyRevoked, NOW, IDLE)).toBe("KEY_REVOKED");
    expect(sessionRefusal({ ...live, apiKey: { revokedAt: null, expiresAt: at(0) } }, NOW, IDLE)).toBe(
      "KEY_REVOKED",
    );
  });
});

describe("session tokens", () => {
  it("are 32 random bytes in base64url behind a prefix, and hash to SHA-256 hex", () => {
    const a = generateSessionToken();
    const b = generateSessionToken();
    expect(a).toMatch(/^dams_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashSessionToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
