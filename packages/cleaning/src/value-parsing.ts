import type { TColumnType } from "@dam/vocabulary/column-types";
import type { TScalar } from "./recipe-schema.ts";

export type TParsedValue = { ok: true; value: string | number | boolean } | { ok: false; reason: string };

const INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
// The ISO shapes the cast step also accepts (see cast-expression.ts), so a value that validates here is
// one Postgres parses the same way.
const TIMESTAMP =
  /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const isValidTimestamp = (text: string): boolean => {
  const match = TIMESTAMP.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  return year >= 1 && Number(match[3]) <= daysInMonth(year, Number(match[2]));
};

const show = (value: TScalar): string => JSON.stringify(value);

/**
 * Turns a recipe value into the form bound for a column of `type`, or says why it cannot be one. Values
 * keep their meaning exactly: an integer column takes 12 or "12" but not 12.5.
 */
export const parseValue = (value: TScalar, type: TColumnType): TParsedValue => {
  switch (type) {
    case "integer": {
      const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
      const number = Number(text);
      return INTEGER.test(text) && Number.isSafeInteger(number)
        ? { ok: true, value: number }
        : { ok: false, reason: `expected an integer, got ${show(value)}` };
    }
    case "decimal": {
      const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
      const number = Number(text);
      return (typeof value === "number" || DECIMAL.test(text)) && Number.isFinite(number)
        ? { ok: true, value: number }
        : { ok: false, reason: `expected a number, got ${show(value)}` };
    }
    case "boolean": {
      if (typeof value === "boolean") return { ok: true, value };
      if (value === "true" || value === "false") return { ok: true, value: value === "true" };
      return { ok: false, reason: `expected true or false, got ${show(value)}` };
    }
    case "timestamp":
      return typeof value === "string" && isValidTimestamp(value.trim())
        ? { ok: true, value: value.trim() }
        : { ok: false, reason: `expected an ISO-8601 timestamp (2024-01-31T12:00:00Z), got ${show(value)}` };
    case "text":
      return { ok: true, value: String(value) };
    default: {
      const unreachable: never = type;
      return { ok: false, reason: `unknown type ${String(unreachable)}` };
    }
  }
};
