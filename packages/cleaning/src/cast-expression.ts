import type { TColumnType } from "@dam/vocabulary/column-types";

// Postgres 15 has no pg_input_is_valid (16+), and a failing cast would abort the whole statement, so each
// cast is guarded by a pattern that only lets through text the cast is sure to accept; anything else
// becomes NULL and the cast step drops the row.

// At most 18 digits: always inside bigint's range (9.2e18), so the cast cannot overflow.
const INTEGER = "^[+-]?[0-9]{1,18}$";
// At most 40 characters and a 2-digit exponent: far inside double precision's range (1.8e308).
const DECIMAL = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,2})?$";
const TIMESTAMP =
  "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$";
const TRUE_WORDS = "'true', 't', 'yes', 'y', '1', 'on'";
const FALSE_WORDS = "'false', 'f', 'no', 'n', '0', 'off'";

const literal = (pattern: string): string => `'${pattern.replaceAll("'", "''")}'`;

/**
 * SQL for `value` (an expression of type `from`) converted to `to`, NULL where the value's text form is
 * not a valid `to`. Every conversion goes through the text form (12.0 -> "12" -> 12; 12.5 is no integer).
 */
export const castExpression = (value: string, from: TColumnType, to: TColumnType): string => {
  if (from === to) return value;
  const text = `btrim((${value})::text)`;
  switch (to) {
    case "text":
      return `(${value})::text`;
    case "integer":
      return `CASE WHEN ${text} ~ ${literal(INTEGER)} THEN ${text}::bigint END`;
    case "decimal":
      return `CASE WHEN length(${text}) <= 40 AND ${text} ~ ${literal(DECIMAL)} THEN ${text}::double precision END`;
    case "boolean":
      return `CASE WHEN lower(${text}) IN (${TRUE_WORDS}) THEN true WHEN lower(${text}) IN (${FALSE_WORDS}) THEN false END`;
    case "timestamp": {
      // The pattern bounds month and day to 1..12 and 1..31 and year 0 is refused; the inner CASE (run
      // only when the outer matched, so its casts are safe) rejects days past their month's end (02-30).
      const year = `substr(${text}, 1, 4)::int`;
      const month = `substr(${text}, 6, 2)::int`;
      const lastDay = `extract(day from make_date(${year}, ${month}, 1) + interval '1 month - 1 day')::int`;
      return `CASE WHEN ${text} ~ ${literal(TIMESTAMP)} AND left(${text}, 4) <> '0000' THEN CASE WHEN substr(${text}, 9, 2)::int <= ${lastDay} THEN ${text}::timestamptz END END`;
    }
    default: {
      const unreachable: never = to;
      throw new Error(`unknown type ${String(unreachable)}`);
    }
  }
};
