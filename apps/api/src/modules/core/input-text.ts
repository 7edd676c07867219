// Rules for client-supplied text that several areas apply: one owner, everyone calls these.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the textual form of a UUID (any version), the id type of every `@db.Uuid` row. */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Why a string cannot be stored, or null: PostgreSQL text is UTF-8 without NUL, so a NUL character
 * and an unpaired UTF-16 surrogate (which has no UTF-8 form) are refused rather than mangled.
 */
export const badStringReason = (value: string): string | null => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0) return "must not contain NUL characters (\\u0000)";
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "must not contain unpaired UTF-16 surrogates";
    }
    if (code >= 0xdc00 && code <= 0xdfff) return "must not contain unpaired UTF-16 surrogates";
  }
  return null;
};

/**
 * Escapes LIKE / ILIKE wildcards (`%`, `_`) and the escape character itself, so user text matches
 * literally. PostgreSQL's default LIKE escape is the backslash, which is also what Prisma's
 * `contains` / `startsWith` pass through unescaped; SQL written by hand says `ESCAPE '\'` explicitly.
 */
export const escapeLikePattern = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
