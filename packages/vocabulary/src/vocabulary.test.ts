import { describe, expect, it } from "vitest";
import { COLUMN_ROLES, isColumnRole } from "./column-roles.ts";
import { COLUMN_TYPES, isColumnType, sqlTypeOf } from "./column-types.ts";
import { EVENT_TYPES, isEventType } from "./event-types.ts";
import {
  DEFAULT_EVENT_WEIGHT,
  DEFAULT_EVENT_WEIGHTS,
  eventWeightOf,
  recordedEventWeights,
  ZEventWeights,
} from "./event-weights.ts";
import { quoteIdent } from "./sql-ident.ts";

describe("quoteIdent", () => {
  it("quotes and doubles embedded quotes, so no name can close the identifier", () => {
    expect(quoteIdent("price")).toBe('"price"');
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(quoteIdent("")).toBe('""');
  });
});

describe("column vocabulary", () => {
  it("maps every column type to a PostgreSQL type", () => {
    expect(COLUMN_TYPES.map(sqlTypeOf)).toEqual([
      "bigint",
      "double precision",
      "boolean",
      "timestamptz",
      "text",
    ]);
    expect(isColumnType("decimal")).toBe(true);
    expect(isColumnType("float")).toBe(false);
  });

  it("knows roles by their exact name", () => {
    expect(COLUMN_ROLES).toContain("itemId");
    expect(new Set(COLUMN_ROLES).size).toBe(COLUMN_ROLES.length);
    expect(isColumnRole("userId")).toBe(true);
    expect(isColumnRole("userid")).toBe(false);
  });
});

describe("event weights", () => {
  it("weighs every known event type, stronger down the funnel", () => {
    const weights = EVENT_TYPES.map((type) => eventWeightOf(DEFAULT_EVENT_WEIGHTS, type));
    expect(weights).toEqual([1, 1, 2, 3, 5]);
    expect(isEventType("cart")).toBe(true);
    expect(isEventType("Cart")).toBe(false);
  });

  it("reads types in any case and weighs unknown or missing types by the default", () => {
    expect(eventWeightOf(DEFAULT_EVENT_WEIGHTS, "PURCHASE")).toBe(5);
    expect(eventWeightOf(DEFAULT_EVENT_WEIGHTS, "favorite")).toBe(2);
    expect(eventWeightOf(DEFAULT_EVENT_WEIGHTS, "share")).toBe(DEFAULT_EVENT_WEIGHT);
    expect(eventWeightOf(DEFAULT_EVENT_WEIGHTS, null)).toBe(DEFAULT_EVENT_WEIGHT);
  });

  it("validates a client's table: lower-cased keys, bounded weights, spellings that agree", () => {
    expect(ZEventWeights.parse({ Purchase: 10, view: 0 })).toEqual({ purchase: 10, view: 0 });
    expect(ZEventWeights.safeParse({ purchase: -1 }).success).toBe(false);
    expect(ZEventWeights.safeParse({ purchase: 1e9 }).success).toBe(false);
    expect(ZEventWeights.safeParse({ purchase: 2, PURCHASE: 3 }).success).toBe(false);
    expect(ZEventWeights.safeParse({ " ": 1 }).success).toBe(false);
  });

  it("reads the weights a model recorded, and the default table for a model without any", () => {
    expect(recordedEventWeights({ purchase: 4, cart: 3 })).toEqual({ purchase: 4, cart: 3 });
    expect(recordedEventWeights(undefined)).toBe(DEFAULT_EVENT_WEIGHTS);
    expect(recordedEventWeights("purchase:4")).toBe(DEFAULT_EVENT_WEIGHTS);
  });
});
