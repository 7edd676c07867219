/**
 * The keyed pseudonym of a text expression in SQL: the same value as @dam/privacy/masking#pseudonymise
 * (HMAC-SHA256 of the normalised value under the install's secret, hex, 80 bits, `pii_` prefix), with
 * pgcrypto's hmac(); the normalisation follows normaliseForHash for the kind.
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
  return `('pii_' || substr(encode(public.hmac(${normal}, ${secret}, 'sha256'), 'hex'), 1, 20))`;
};
