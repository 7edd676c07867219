// Regular expressions of one common shape, anchored and of fixed width (`^E[0-9]{9}$`,
// `^[A-Z]{2}-[0-9]{4}$`), checked without the regex engine. PostgreSQL's engine costs microseconds a
// row; the same test as a length check plus one substring comparison per run of literals and one
// `ltrim` per run of a character class costs a fraction of that, and gives the same answer.

/** One stretch of the value: either exact text, or `length` characters all from `chars`. */
export type TFixedSegment =
  | { start: number; length: number; literal: string }
  | { start: number; length: number; chars: string };

export type TFixedPattern = { length: number; segments: TFixedSegment[] };

const PLAIN = /[A-Za-z0-9 _,:;@#%&=<>'"/~!-]/;
const ESCAPABLE = /[.\-_/:#@+*?()[\]{}|^$\\]/;
const RANGE_ENDS = [/[a-z]/, /[A-Z]/, /[0-9]/];

/** The characters of a bracket class like `0-9A-F_`; null for anything but plain ASCII members. */
const classChars = (body: string): string | null => {
  if (body === "" || body.startsWith("^")) return null;
  const members = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    const next = body[i + 1];
    const end = body[i + 2];
    if (next === "-" && end !== undefined) {
      const kind = RANGE_ENDS.find((re) => re.test(char));
      if (!kind?.test(end) || end < char) return null;
      for (let code = char.charCodeAt(0); code <= end.charCodeAt(0); code++) {
        members.add(String.fromCharCode(code));
      }
      i += 2;
      continue;
    }
    if (!/[A-Za-z0-9_ ]/.test(char)) return null;
    members.add(char);
  }
  return [...members].sort().join("");
};

/**
 * Reads `^atom{n}...$` where an atom is a plain character, an escaped punctuation character, or an
 * ASCII bracket class (no negation), each repeated a fixed number of times. Anything else (`*`, `+`,
 * `?`, alternation, groups, `.`, `\d` whose meaning depends on the locale) returns null: the rule
 * keeps the regex engine.
 */
export const readFixedPattern = (pattern: string): TFixedPattern | null => {
  if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) return null;
  const body = pattern.slice(1, -1);
  const segments: TFixedSegment[] = [];
  let length = 0;
  let i = 0;
  while (i < body.length) {
    let literal: string | null = null;
    let chars: string | null = null;
    const char = body[i] as string;
    if (char === "\\") {
      const escaped = body[i + 1];
      if (escaped === undefined || !ESCAPABLE.test(escaped)) return null;
      literal = escaped;
      i += 2;
    } else if (char === "[") {
      const close = body.indexOf("]", i + 1);
      if (close === -1) return null;
      chars = classChars(body.slice(i + 1, close));
      if (chars === null) return null;
      i = close + 1;
    } else if (PLAIN.test(char)) {
      literal = char;
      i += 1;
    } else return null;
    let count = 1;
    if (body[i] === "{") {
      const close = body.indexOf("}", i);
      const digits = close === -1 ? "" : body.slice(i + 1, close);
      if (!/^\d{1,3}$/.test(digits)) return null;
      count = Number(digits);
      if (count === 0) return null;
      i = close + 1;
    }
    const last = segments[segments.length - 1];
    if (literal !== null) {
      const text = literal.repeat(count);
      if (last && "literal" in last) {
        segments[segments.length - 1] = {
          ...last,
          length: last.length + count,
          literal: last.literal + text,
        };
      } else segments.push({ start: length + 1, length: count, literal: text });
    } else if (chars !== null) {
      if (last && "chars" in last && last.chars === chars) {
        segments[segments.length - 1] = { ...last, length: last.length + count };
      } else segments.push({ start: length + 1, length: count, chars });
    }
    length += count;
  }
  return length > 0 ? { length, segments } : null;
};
