import { FIRST_NAMES, SURNAMES } from "./person-names.ts";
import type { TEmbeddablePiiType } from "./pii-types.ts";

// Value tests, one per kind of personal data. Each is strict enough to run on a column whose name says
// nothing (a look-alike such as a SKU or an order number must fail it); `loose*` variants are used only
// when the column's name already points at the kind.

const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/;

export const isEmail = (value: string): boolean => value.length <= 254 && EMAIL.test(value);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const DATE_SHAPE = /^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$/;

const digitsOf = (value: string): string => value.replace(/\D/g, "");

/**
 * A phone number written the way people write them: an international prefix (+ or 00), a trunk 0, or
 * digit groups separated by spaces, dashes, dots or a bracketed area code. E.164 caps numbers at
 * 15 digits (ITU-T E.164 section 6); national numbers have at least 7.
 */
export const isPhone = (value: string): boolean => {
  // Dotted quads and dates (1985-03-12, 12.03.1985) share the digit-group shape.
  if (!/^\+?[\d\s().-]+$/.test(value) || IPV4.test(value) || DATE_SHAPE.test(value)) return false;
  const digits = digitsOf(value);
  if (digits.length < 7 || digits.length > 15) return false;
  if (value.startsWith("+") || value.startsWith("00")) return digits.length >= 8;
  if (/^\(\d{2,5}\)\s?\d/.test(value)) return true;
  if (/^0\d/.test(value) && digits.length >= 9) return true;
  // Three or more groups such as 555-123-4567 or 020 7946 0958.
  const groups = value.split(/[\s.-]+/).filter((g) => g.length > 0);
  return groups.length >= 3 && groups.every((g) => /^\(?\d{2,5}\)?$/.test(g));
};

export const isLoosePhone = (value: string): boolean => {
  if (!/^\+?[\d\s().-]+$/.test(value)) return false;
  const digits = digitsOf(value);
  return digits.length >= 7 && digits.length <= 15;
};

/** Luhn (ISO/IEC 7812-1 annex B): double every second digit from the right, the sum is a multiple of 10. */
export const luhnValid = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
};

// Issuer prefixes of the card schemes a shop takes (ISO/IEC 7812 IIN ranges as the schemes publish them):
// Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 3528-3589,
// Diners 36/38/300-305, Maestro 50/56-58/6304/6759/676x.
const CARD_PREFIX =
  /^(4|5[1-5]|2(2[2-9][1-9]|[3-6]\d\d|7[01]\d|720)|3[47]|6011|64[4-9]|65|35(2[89]|[3-8]\d)|3[68]|30[0-5]|5[06-8]|6304|6759|676)/;

export const isPaymentCard = (value: string): boolean => {
  if (!/^[\d\s-]+$/.test(value)) return false;
  const digits = digitsOf(value);
  return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhnValid(digits);
};

/** ISO 13616 IBAN check: move the first four characters to the end, letters to 10..35, mod 97 must be 1. */
export const ibanValid = (value: string): boolean => {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const chunk = code >= 65 ? String(code - 55) : ch;
    for (const digit of chunk) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
};

export const isIban = (value: string): boolean => value.length <= 42 && ibanValid(value);

export const isIpv4 = (value: string): boolean => IPV4.test(value);

export const isIpv6 = (value: string): boolean => {
  if (!/^[0-9A-Fa-f:]+$/.test(value) || !value.includes(":")) return false;
  const halves = value.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
};

export const isIpAddress = (value: string): boolean => isIpv4(value) || isIpv6(value);

// UK postcodes (Royal Mail's format, e.g. SW1A 1AA, M1 1AE), Canadian (K1A 0B1), Dutch (1011 AB).
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|[A-Z]\d[A-Z] \d[A-Z]\d|\d{4} [A-Z]{2})$/;
// With a postcode-like column name, bare numeric codes (US ZIP, ZIP+4, German/French 5 digits) count too.
const LOOSE_POSTCODE =
  /^(\d{4,5}(-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2})$/;

export const isPostcode = (value: string): boolean =>
  POSTCODE.test(value.toUpperCase() === value ? value : "");
export const isLoosePostcode = (value: string): boolean => LOOSE_POSTCODE.test(value.toUpperCase());

const STREET_WORDS =
  "street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|boulevard|blvd|court|ct|place|pl|square|sq|terrace|gardens|crescent|row|hill|parkway|strasse|straße|str|weg|gasse|platz|allee|rue|via|calle|laan|straat";
// "221B Baker Street", "12 High St, Leeds", "Hauptstraße 5", "Rue de Rivoli 10".
const ADDRESS_NUMBER_FIRST = new RegExp(
  `^\\d{1,5}[A-Za-z]?,?\\s+(\\p{L}[\\p{L}'.-]*\\s+){0,4}(${STREET_WORDS})\\.?(\\b|,|$)`,
  "iu",
);
const ADDRESS_NUMBER_LAST = new RegExp(
  `^(\\p{L}[\\p{L}'.-]*\\s*){1,4}(${STREET_WORDS})\\.?\\s+\\d{1,5}[a-z]?(\\b|,|$)`,
  "iu",
);
const ADDRESS_COMPOUND = /^\p{Lu}\p{L}+(straße|strasse|weg|gasse|platz|allee)\s+\d{1,5}[a-z]?\b/u;

export const isPostalAddress = (value: string): boolean =>
  value.length <= 200 &&
  (ADDRESS_NUMBER_FIRST.test(value) || ADDRESS_NUMBER_LAST.test(value) || ADDRESS_COMPOUND.test(value));

const NAME_TOKEN = /^\p{Lu}[\p{Ll}'’-]+$/u;
const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "der",
  "da",
  "di",
  "du",
  "la",
  "le",
  "del",
  "dos",
  "bin",
  "al",
]);

const nameTokens = (value: string): string[] | null => {
  const tokens = value.trim().split(/\s+/);
  if (tokens.length < 1 || tokens.length > 4) return null;
  return tokens.every((t) => NAME_TOKEN.test(t) || PARTICLES.has(t) || /^\p{Lu}\.$/u.test(t)) ? tokens : null;
};

/**
 * A person's name: one to four capitalised words of which the first is a known first name or the last a
 * known surname ("Maria Garcia", "Smith, John" is handled by the comma swap). Product titles ("Red Wool
 * Scarf") share the shape but not the dictionary.
 */
export const isPersonName = (value: string): boolean => {
  const swapped = /^[^,]+,\s*[^,]+$/.test(value) ? value.split(",").reverse().join(" ") : value;
  const tokens = nameTokens(swapped);
  if (!tokens) return false;
  const first = tokens[0]?.toLowerCase() ?? "";
  const last = tokens[tokens.length - 1]?.toLowerCase() ?? "";
  if (tokens.length === 1) return FIRST_NAMES.has(first) || SURNAMES.has(first);
  return FIRST_NAMES.has(first) || SURNAMES.has(last);
};

export const isLoosePersonName = (value: string): boolean => nameTokens(value) !== null;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const DMY_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/;

/** The year of a date written as ISO 8601 or d/m/yyyy (or m/d/yyyy: only the year is used), else null. */
export const dateYear = (value: string): number | null => {
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const month = Number(iso[2]);
    const day = Number(iso[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? Number(iso[1]) : null;
  }
  const dmy = DMY_DATE.exec(value);
  return dmy ? Number(dmy[3]) : null;
};

// Embedded shapes, for free text. Word boundaries keep "ABC123" codes from matching.
const EMBEDDED: Record<TEmbeddablePiiType, RegExp> = {
  EMAIL: /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g,
  PHONE: /(?:\+|\b00|\b0)\d[\d\s().-]{6,18}\d\b|\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}\b/g,
  PAYMENT_CARD: /\b\d(?:[\s-]?\d){12,18}\b/g,
  IBAN: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{1,4}){3,8}\b/g,
  IP_ADDRESS: /\b(?:\d{1,3}\.){3}\d{1,3}\b/g,
};

const EMBEDDED_CHECK: Record<TEmbeddablePiiType, (match: string) => boolean> = {
  EMAIL: isEmail,
  PHONE: isPhone,
  PAYMENT_CARD: isPaymentCard,
  IBAN: isIban,
  IP_ADDRESS: isIpv4,
};

export type TEmbeddedMatch = { type: TEmbeddablePiiType; start: number; end: number };

/** Every piece of personal data with a checkable shape inside a text, in order, without overlaps. */
export const findEmbeddedPii = (text: string): TEmbeddedMatch[] => {
  const found: TEmbeddedMatch[] = [];
  for (const type of Object.keys(EMBEDDED) as TEmbeddablePiiType[]) {
    for (const m of text.matchAll(EMBEDDED[type])) {
      const value = m[0].trim();
      if (EMBEDDED_CHECK[type](value)) found.push({ type, start: m.index, end: m.index + m[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: TEmbeddedMatch[] = [];
  for (const match of found) {
    const previous = merged[merged.length - 1];
    if (!previous || match.start >= previous.end) merged.push(match);
  }
  return merged;
};
