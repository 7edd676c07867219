import { createHash } from "node:crypto";

const BLOCK = 64;

/** `'\x…'::bytea`: hex digits only, so the key can go into statements that take no bind parameters. */
const byteaLiteral = (bytes: Uint8Array): string => `'\\x${Buffer.from(bytes).toString("hex")}'::bytea`;

/**
 * HMAC-SHA256 of `message` (a bytea SQL expression) under `secret`, built from PostgreSQL's own sha256()
 * (RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)), K padded to the 64-byte block, hashed first when
 * longer), so no extension (pgcrypto) is needed on the server.
 */
export const hmacSha256Sql = (message: string, secret: string): string => {
  let key: Uint8Array = Buffer.from(secret, "utf8");
  if (key.length > BLOCK) key = createHash("sha256").update(key).digest();
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const k = key[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return `sha256(${byteaLiteral(outer)} || sha256(${byteaLiteral(inner)} || ${message}))`;
};

/**
 * The keyed pseudonym of a text expression in SQL: the same value as @dam/privacy/masking#pseudonymise
 * (HMAC-SHA256 of the normalised value under the install's secret, hex, 80 bits, `pii_` prefix); the
 * normalisation follows normaliseForHash for the kind. `secret` is the key itself, not SQL.
 */
export const pseudonymSql = (expr: string, piiType: string | undefined, secret: string): string => {
  const trimmed = `regexp_replace(${expr}, '^\\s+|\\s+$', '', 'g')`;
  let normal: string;
  switch (piiType) {
    case "EMAIL":
    case "PERSON_NAME":
    case "POSTAL_ADDRESS":
      normal = `regexp_replace(lower(${trimmed}), '\\s+', ' ', 'g')`;
      break;
    case "PHONE":
    case "PAYMENT_CARD":
      normal = `regexp_replace(${trimmed}, '[^0-9+]', '', 'g')`;
      break;
    case "IBAN":
    case "POSTCODE":
      normal = `upper(regexp_replace(${trimmed}, '\\s+', '', 'g'))`;
      break;
    default:
      normal = trimmed;
  }
  return `('pii_' || substr(encode(${hmacSha256Sql(`convert_to(${normal}, 'UTF8')`, secret)}, 'hex'), 1, 20))`;
};
