import { createHmac } from "node:crypto";
import type { TMaskingMode, TPiiType } from "./pii-types.ts";
import { findEmbeddedPii } from "./value-detectors.ts";

export const REDACTED = "[redacted]";

const stars = (n: number): string => "*".repeat(Math.max(3, Math.min(n, 8)));

const keepLastDigits = (value: string, keep: number): string => {
  const total = value.replace(/\D/g, "").length;
  let seen = 0;
  return value.replace(/\d/g, (d) => {
    seen++;
    return seen > total - keep ? d : "*";
  });
};

/**
 * Shows enough to recognise a value's kind and tell a few apart, never enough to contact or identify the
 * person: `j***@example.com`, `**** **** **** 1234`, `+** *** *** **67`, `J*** S***`.
 */
export const maskPartial = (value: string, type: TPiiType): string => {
  switch (type) {
    case "EMAIL": {
      const at = value.lastIndexOf("@");
      return at <= 0 ? stars(value.length) : `${value[0]}***${value.slice(at)}`;
    }
    case "PAYMENT_CARD":
      return keepLastDigits(value, 4);
    case "PHONE":
      return keepLastDigits(value, 2);
    case "IBAN": {
      const compact = value.replace(/\s+/g, "");
      return `${compact.slice(0, 2)}${stars(compact.length - 6)}${compact.slice(-4)}`;
    }
    case "PERSON_NAME":
      return value
        .split(/\s+/)
        .map((w) => (w.length > 0 ? `${w[0]}***` : w))
        .join(" ");
    case "IP_ADDRESS":
      return value.includes(".")
        ? value.replace(/\.\d+\.\d+$/, ".*.*")
        : `${value.split(":").slice(0, 2).join(":")}:***`;
    case "POSTCODE":
      return value.length > 2 ? `${value.slice(0, 2)}${stars(value.length - 2)}` : stars(3);
    case "DATE_OF_BIRTH": {
      const year = /(\d{4})/.exec(value)?.[1];
      return year ? `${year.slice(0, 3)}*-**-**` : stars(value.length);
    }
    case "POSTAL_ADDRESS":
      return `${stars(6)} ${value.split(/[\s,]+/).slice(-1)[0] ?? ""}`.trim();
    case "FREE_TEXT":
      return maskEmbedded(value, "PARTIAL", null);
    default: {
      const unreachable: never = type;
      throw new Error(`Unknown PII type ${String(unreachable)}`);
    }
  }
};

/** Canonical form before hashing, so `John@Example.com ` and `john@example.com` give one pseudonym. */
export const normaliseForHash = (value: string, type: TPiiType): string => {
  const trimmed = value.trim();
  switch (type) {
    case "EMAIL":
    case "PERSON_NAME":
    case "POSTAL_ADDRESS":
      return trimmed.toLowerCase().replace(/\s+/g, " ");
    case "PHONE":
    case "PAYMENT_CARD":
      return trimmed.replace(/[^\d+]/g, "");
    case "IBAN":
    case "POSTCODE":
      return trimmed.replace(/\s+/g, "").toUpperCase();
    default:
      return trimmed;
  }
};

/**
 * Keyed pseudonym: HMAC-SHA256 (RFC 2104) of the normalised value under the install's secret, cut to
 * 80 bits. The same person gets the same pseudonym everywhere in one install, so joins still work, and
 * without the key the pseudonym cannot be reversed by hashing guesses (unlike a plain hash of an email).
 */
export const pseudonymise = (value: string, type: TPiiType, secret: string): string =>
  `pii_${createHmac("sha256", secret).update(normaliseForHash(value, type)).digest("hex").slice(0, 20)}`;

/** Masks the personal data found inside a text, leaving the rest readable. */
export const maskEmbedded = (text: string, mode: TMaskingMode, secret: string | null): string => {
  const matches = findEmbeddedPii(text);
  if (matches.length === 0) return text;
  let out = "";
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + maskValue(text.slice(m.start, m.end), m.type, mode, secret);
    at = m.end;
  }
  return out + text.slice(at);
};

/** Masks one value of a tagged column in the tag's mode. HASH without a secret falls back to REDACT. */
export const maskValue = (
  value: string,
  type: TPiiType,
  mode: TMaskingMode,
  secret: string | null,
): string => {
  if (type === "FREE_TEXT") return mode === "REDACT" ? REDACTED : maskEmbedded(value, mode, secret);
  switch (mode) {
    case "REDACT":
      return REDACTED;
    case "PARTIAL":
      return maskPartial(value, type);
    case "HASH":
      return secret === null ? REDACTED : pseudonymise(value, type, secret);
    default: {
      const unreachable: never = mode;
      throw new Error(`Unknown masking mode ${String(unreachable)}`);
    }
  }
};

/**
 * The mode a tag gets until a steward chooses one: partial where a recognisable remainder helps a viewer
 * (the email's domain, a card's last four), redaction for addresses, whose remainder still locates a home.
 */
export const defaultMaskingMode = (type: TPiiType): TMaskingMode =>
  type === "POSTAL_ADDRESS" ? "REDACT" : "PARTIAL";
