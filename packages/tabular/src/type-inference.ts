import type { TColumnType } from "@dam/vocabulary/column-types";

export type TParsed =
  | { ok: true; value: string | number | boolean | Date | null }
  | { ok: false; reason: string };

const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN_TRUE = new Set(["true", "yes", "y", "t"]);
const BOOLEAN_FALSE = new Set(["false", "no", "n", "f"]);
// ISO-8601 date or date-time (with T or space, optional seconds, fraction and zone).
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// Month/day/year with a time, as exported by spreadsheets (the UCI Online Retail files use it).
const US_TIMESTAMP = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export const parseTimestamp = (raw: string): Date | null => {
  if (ISO_TIMESTAMP.test(raw)) {
    // A date-time without a zone is taken as UTC so loads do not depend on the server's time zone.
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(raw) && raw.length > 10;
    const normalised = raw.replace(" ", "T");
    const date = new Date(hasZone ? normalised : raw.length === 10 ? `${raw}T00:00:00Z` : `${normalised}Z`);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const us = US_TIMESTAMP.exec(raw);
  if (us) {
    const [, month, day, year, hour = "0", minute = "0", second = "0"] = us;
    const date = new Date(
      Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)),
    );
    return date.getUTCMonth() === Number(month) - 1 ? date : null;
  }
  return null;
};

const fitsType = (type: TColumnType, raw: string): boolean => {
  switch (type) {
    case "integer":
      return INTEGER.test(raw);
    case "decimal":
      return DECIMAL.test(raw);
    case "boolean":
      return BOOLEAN_TRUE.has(raw.toLowerCase()) || BOOLEAN_FALSE.has(raw.toLowerCase());
    case "timestamp":
      return parseTimestamp(raw) !== null;
    case "text":
      return true;
    default: {
      const unreachable: never = type;
      throw new Error(`unknown type ${String(unreachable)}`);
    }
  }
};

// Narrowest first: a column is the first type that every non-empty sampled value fits.
const CANDIDATES: TColumnType[] = ["integer", "decimal", "boolean", "timestamp"];

/** Infers a column's type from sampled raw values; empty strings are nulls and do not vote. */
export const inferColumnType = (samples: readonly string[]): TColumnType => {
  const values = samples.map((value) => value.trim()).filter((value) => value !== "");
  if (values.length === 0) return "text";
  return CANDIDATES.find((type) => values.every((value) => fitsType(type, value))) ?? "text";
};

/** Parses one raw cell into the column's type, or says why it cannot. */
export const parseCell = (type: TColumnType, raw: string | undefined): TParsed => {
  if (raw === undefined) return { ok: true, value: null };
  // PostgreSQL text cannot hold NUL (COPY and bind parameters both refuse it): the row is rejected.
  if (raw.includes("\u0000"))
    return { ok: false, reason: "NUL byte (0x00) in the value: PostgreSQL cannot store it" };
  const value = type === "text" ? raw : raw.trim();
  if (value === "") return { ok: true, value: null };
  switch (type) {
    case "text":
      return { ok: true, value };
    case "integer":
      return INTEGER.test(value)
        ? { ok: true, value: Number(value) }
        : { ok: false, reason: `not an integer: "${value}"` };
    case "decimal":
      return DECIMAL.test(value)
        ? { ok: true, value: Number(value) }
        : { ok: false, reason: `not a number: "${value}"` };
    case "boolean": {
      const lower = value.toLowerCase();
      if (BOOLEAN_TRUE.has(lower)) return { ok: true, value: true };
      if (BOOLEAN_FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, reason: `not a boolean: "${value}"` };
    }
    case "timestamp": {
      const date = parseTimestamp(value);
      return date ? { ok: true, value: date } : { ok: false, reason: `not a timestamp: "${value}"` };
    }
    default: {
      const unreachable: never = type;
      throw new Error(`unknown type ${String(unreachable)}`);
    }
  }
};
