import { describe, expect, it } from "vitest";
import type { TRecipeColumn } from "./recipe-schema.ts";
import { findTooDeepCondition, MAX_CONDITION_DEPTH, validateRecipe } from "./validate-recipe.ts";

const COLUMNS: TRecipeColumn[] = [
  { name: "invoice_no", type: "text" },
  { name: "quantity", type: "integer" },
  { name: "unit_price", type: "decimal" },
  { name: "invoice_date", type: "timestamp" },
  { name: "paid", type: "boolean" },
];

const issuesOf = (steps: unknown, columns: TRecipeColumn[] | null = COLUMNS): string[] => {
  const result = validateRecipe(steps, columns);
  return result.ok ? [] : result.issues;
};

describe("validateRecipe", () => {
  it("checks the columns of match_dataset and drop_group_outliers steps", () => {
    expect(
      issuesOf([
        { op: "drop_group_outliers", column: "invoice_no", groupBy: "region", maxRatio: 10 },
        {
          op: "match_dataset",
          column: "sku",
          refDatasetId: "6f1c0b8e-3a52-4c1e-9a53-0d2f6f0a8b11",
          refColumn: "id",
        },
        { op: "drop_group_outliers", column: "unit_price", maxRatio: 1 },
      ]),
    ).toEqual(["steps[2].maxRatio: Too small: expected number to be >1"]);
    expect(
      issuesOf([
        { op: "drop_group_outliers", column: "invoice_no", groupBy: "region", maxRatio: 10 },
        {
          op: "match_dataset",
          column: "sku",
          refDatasetId: "6f1c0b8e-3a52-4c1e-9a53-0d2f6f0a8b11",
          refColumn: "id",
        },
      ]),
    ).toEqual([
      'steps[0].column: drop_group_outliers needs a column of type integer or decimal; "invoice_no" is text',
      'steps[0].groupBy: unknown column "region"',
      'steps[1].column: unknown column "sku"',
    ]);
  });

  it("names the step index and field of an unknown column", () => {
    expect(
      issuesOf([
        { op: "dedupe", keys: ["invoice_no"] },
        { op: "drop_where", condition: { column: "quantity", op: "lte", value: 0 } },
        { op: "impute", column: "price", strategy: "mean" },
      ]),
    ).toEqual(['steps[2].column: unknown column "price"']);
  });

  it("reports shape errors with their path", () => {
    expect(issuesOf([{ op: "clip_outliers", column: "quantity", method: "zscore", k: -1 }])).toEqual([
      "steps[0].k: Too small: expected number to be >0",
    ]);
    expect(issuesOf([{ op: "explode", column: "quantity" }])[0]).toMatch(/^steps\[0\]\.op: /);
    expect(issuesOf([])).toEqual(["steps: a recipe needs at least one step"]);
  });

  it("checks nested conditions, value types and operator/type fit", () => {
    expect(
      issuesOf([
        {
          op: "drop_where",
          condition: {
            any: [
              { column: "quantity", op: "lt", value: "ten" },
              { all: [{ column: "unit_price", op: "starts_with", value: "1" }] },
              { not: { column: "nope", op: "is_null" } },
              { column: "quantity", op: "in", value: [1, 2.5] },
              { column: "paid", op: "gt", value: true },
              { column: "invoice_date", op: "gte", value: "2023-02-30" },
              { column: "invoice_no", op: "is_null", value: "x" },
            ],
          },
        },
      ]),
    ).toEqual([
      'steps[0].condition.any[0].value: expected an integer, got "ten"',
      'steps[0].condition.any[1].all[0].column: starts_with needs a column of type text; "unit_price" is decimal',
      'steps[0].condition.any[2].not.column: unknown column "nope"',
      "steps[0].condition.any[3].value[1]: expected an integer, got 2.5",
      'steps[0].condition.any[4].column: gt needs a column of type integer or decimal or timestamp or text; "paid" is boolean',
      'steps[0].condition.any[5].value: expected an ISO-8601 timestamp (2024-01-31T12:00:00Z), got "2023-02-30"',
      "steps[0].condition.any[6].value: is_null takes no value",
    ]);
  });

  it("follows casts: a later step sees the new type, and the output schema has it", () => {
    const result = validateRecipe(
      [
        { op: "cast", column: "invoice_no", to: "integer" },
        { op: "impute", column: "invoice_no", strategy: "median" },
      ],
      COLUMNS,
    );
    expect(result.ok && result.columns.map((column) => column.type)).toEqual([
      "integer",
      "integer",
      "decimal",
      "timestamp",
      "boolean",
    ]);
    expect(
      issuesOf([
        { op: "impute", column: "invoice_no", strategy: "median" },
        { op: "normalise_text", column: "quantity", trim: false },
        { op: "impute", column: "unit_price", strategy: "constant" },
      ]),
    ).toEqual([
      'steps[0].column: impute median needs a column of type integer or decimal; "invoice_no" is text',
      'steps[1].column: normalise_text needs a column of type text; "quantity" is integer',
      "steps[1]: normalise_text changes nothing (set trim, case or collapseSpaces)",
      "steps[2].value: impute constant needs a value",
    ]);
  });

  it("fills defaults and checks only the shape when no columns are known", () => {
    const result = validateRecipe([{ op: "dedupe" }, { op: "normalise_text", column: "x" }], null);
    expect(result).toEqual({
      ok: true,
      columns: [],
      steps: [
        { op: "dedupe", keys: [], keep: "first" },
        { op: "normalise_text", column: "x", trim: true, case: "none", collapseSpaces: false },
      ],
    });
  });
});

describe("condition depth", () => {
  const nested = (depth: number, wrap: (inner: unknown) => unknown): unknown => {
    let condition: unknown = { column: "quantity", op: "lte", value: 0 };
    for (let i = 1; i < depth; i++) condition = wrap(condition);
    return condition;
  };

  it("refuses conditions nested 3,000 deep with the step named, without running out of stack", () => {
    for (const wrap of [
      (inner: unknown) => ({ not: inner }),
      (inner: unknown) => ({ any: [inner] }),
      (inner: unknown) => ({ all: [{ column: "paid", op: "is_null" }, inner] }),
    ]) {
      const steps = [{ op: "dedupe" }, { op: "drop_where", condition: nested(3_000, wrap) }];
      expect(issuesOf(steps)).toEqual([
        `steps[1].condition: nested deeper than ${MAX_CONDITION_DEPTH} levels of any / all / not`,
      ]);
      expect(issuesOf(steps, null)).toHaveLength(1);
    }
  });

  it("accepts a condition exactly at the limit", () => {
    const steps = [{ op: "drop_where", condition: nested(MAX_CONDITION_DEPTH, (inner) => ({ not: inner })) }];
    expect(issuesOf(steps)).toEqual([]);
    expect(findTooDeepCondition(steps)).toBe(-1);
    const deeper = [
      { op: "drop_where", condition: nested(MAX_CONDITION_DEPTH + 1, (inner) => ({ not: inner })) },
    ];
    expect(findTooDeepCondition(deeper)).toBe(0);
  });
});

describe("pseudonymise steps", () => {
  it("turns a hashed column into text and takes a dropped one out of the output", () => {
    const result = validateRecipe(
      [
        { op: "pseudonymise", column: "quantity", mode: "hash" },
        { op: "pseudonymise", column: "invoice_no", mode: "drop" },
      ],
      COLUMNS,
    );
    expect(result.ok && result.columns.map((c) => [c.name, c.type])).toEqual([
      ["quantity", "text"],
      ["unit_price", "decimal"],
      ["invoice_date", "timestamp"],
      ["paid", "boolean"],
    ]);
  });

  it("names what is wrong: a column used after it was dropped, an unknown mode or kind", () => {
    const name = COLUMNS[0]!.name;
    expect(
      issuesOf([
        { op: "pseudonymise", column: name, mode: "drop" },
        { op: "normalise_text", column: name },
      ]),
    ).toEqual([`steps[1].column: unknown column "${name}"`]);
    expect(issuesOf([{ op: "pseudonymise", column: name, mode: "scramble" }])[0]).toMatch(
      /^steps\[0\]\.mode: /,
    );
    expect(issuesOf([{ op: "pseudonymise", column: name, mode: "hash", piiType: "SHOE_SIZE" }])[0]).toMatch(
      /^steps\[0\]\.piiType: /,
    );
  });
});
