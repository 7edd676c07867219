import { z } from "zod";
import { normaliseForHash } from "./masking.ts";

/** What an erasure request names: a shop user id (as events and user tables hold it) or an email. */
export const ZErasureKind = z.enum(["USER_ID", "EMAIL"]);
export type TErasureKind = z.infer<typeof ZErasureKind>;

export type TErasureSubject = { kind: TErasureKind; value: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LENGTH = 320;

/**
 * Reads an erasure identifier: an email (normalised as emails are for pseudonyms: trimmed, lower case) or
 * otherwise a user id (trimmed, case kept: ids are compared exactly). Returns an error message for
 * input that names nobody.
 */
export const parseErasureSubject = (identifier: string): TErasureSubject | { error: string } => {
  const trimmed = identifier.trim();
  if (trimmed === "") return { error: "name a user id or an email" };
  if (trimmed.length > MAX_LENGTH) return { error: `at most ${MAX_LENGTH} characters` };
  if ([...trimmed].some((ch) => ch.charCodeAt(0) < 32))
    return { error: "control characters are not allowed" };
  if (trimmed.includes("@")) {
    if (!EMAIL.test(trimmed)) return { error: `"@" present but not an email address` };
    return { kind: "EMAIL", value: normaliseForHash(trimmed, "EMAIL") };
  }
  return { kind: "USER_ID", value: trimmed };
};

/** A hint an admin can recognise a request by without the identifier being kept: `j***@example.com`, `u1***`. */
export const erasureHint = (subject: TErasureSubject): string => {
  if (subject.kind === "EMAIL") {
    const at = subject.value.lastIndexOf("@");
    return `${subject.value[0]}***${subject.value.slice(at)}`;
  }
  return `${subject.value.slice(0, Math.min(2, Math.max(1, subject.value.length - 2)))}***`;
};

const TOKEN_SPLIT = /[\s,;|\t"{}[\]:]+/;

/**
 * Whether one line of a raw upload (a CSV record or a JSON line) names the subject: some field of it,
 * after splitting on separators and JSON punctuation, equals the identifier (emails without regard to
 * case). Whole-field equality, so erasing user "u1" leaves "u10" alone.
 */
export const lineNamesSubject = (line: string, subjects: readonly TErasureSubject[]): boolean => {
  if (!subjects.some((s) => line.toLowerCase().includes(s.value.toLowerCase()))) return false;
  const tokens = line.split(TOKEN_SPLIT);
  return subjects.some((s) =>
    tokens.some((token) => (s.kind === "EMAIL" ? token.toLowerCase() === s.value : token === s.value)),
  );
};
