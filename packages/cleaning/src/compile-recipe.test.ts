import { describe, expect, it } from "vitest";
import { compileRecipe, RecipeValidationError, readStepReports } from "./compile-recipe.ts";
import type { TRecipeColumn } from "./recipe-schema.ts";

const COLUMNS: TRecipeColumn[] = [
  { name: "sku", type: "text", role: "itemId" },
  { name: "qty", type: "integer" },
  { name: "price", type: "decimal" },
  { name: "code", type: "text" },
];
const SOURCE = { schema: "data", table: "v_src" };
const TARGET = { schema: "data", table: "v_dst" };

const compile = (steps: unknown) =>
  compileRecipe({ source: SOURCE, target: TARGET, columns: COLUMNS, steps });

describe("compileRecipe", () => {
  it("builds one CREATE TABLE AS over a CTE chain and one count query over the same chain", () => {
    const compiled = compile([
      { op: "dedupe", keys: ["sku"], keep: "last" },
      { op: "drop_where", condition: { column: "sku", op: "starts_with", value: "C" } },
      { op: "impute", column: "price", strategy: "constant", value: 2.5 },
    ]);
    const chain = [
      'WITH s0 AS (SELECT * FROM "data"."v_src"),',
      's1 AS (SELECT d."_line", d."sku", d."qty", d."price", d."code" FROM (SELECT p."_line", p."sku", p."qty", p."price", p."code", row_number() OVER (PARTITION BY p."sku" ORDER BY p."_line" DESC) AS __rn FROM s0 AS p) AS d WHERE d.__rn = 1),',
      's2 AS (SELECT p."_line", p."sku", p."qty", p."price", p."code" FROM s1 AS p WHERE NOT coalesce((starts_with("sku", $1::text)), false)),',
      "s3_stats AS (SELECT min($2::double precision) AS v FROM s2),",
      's3 AS (SELECT p."_line", p."sku", p."qty", coalesce(p."price", s.v) AS "price", p."code" FROM s2 AS p CROSS JOIN s3_stats AS s)',
    ].join("\n");
    expect(compiled.createSql).toBe(`CREATE TABLE "data"."v_dst" AS ${chain}\nSELECT * FROM s3`);
    expect(compiled.countSql).toBe(
      `${chain}\nSELECT (SELECT count(*) FROM s0) AS r0, (SELECT count(*) FROM s1) AS r1, (SELECT count(*) FROM s2) AS r2, (SELECT count(*) FROM s3) AS r3, (SELECT count(*) FROM s2 AS p CROSS JOIN s3_stats AS s WHERE p."price" IS NULL AND s.v IS NOT NULL) AS c3`,
    );
    expect(compiled.params).toEqual(["C", 2.5]);
    expect(compiled.steps).toEqual([
      { step: 0, op: "dedupe", rowsIn: "r0", rowsOut: "r1", changed: null },
      { step: 1, op: "drop_where", rowsIn: "r1", rowsOut: "r2", changed: null },
      { step: 2, op: "impute", rowsIn: "r2", rowsOut: "r3", changed: "c3" },
    ]);
    expect(readStepReports(compiled, { r0: "10", r1: "8", r2: "7", r3: "7", c3: "2" })).toEqual([
      { step: 0, op: "dedupe", rowsIn: 10, rowsOut: 8, changed: null },
      { step: 1, op: "drop_where", rowsIn: 8, rowsOut: 7, changed: null },
      { step: 2, op: "impute", rowsIn: 7, rowsOut: 7, changed: 2 },
    ]);
  });

  it("binds every user value, typed by its column, and keeps group structure", () => {
    const compiled = compile([
      {
        op: "drop_where",
        condition: {
          any: [
            { column: "qty", op: "lte", value: "0" },
            { column: "sku", op: "in", value: ["POST", "'; DROP TABLE x; --"] },
            { not: { column: "code", op: "matches", value: "^[0-9]{5}$" } },
            {
              all: [
                { column: "price", op: "gt", value: 100 },
                { column: "code", op: "not_null" },
              ],
            },
          ],
        },
      },
    ]);
    expect(compiled.createSql).toContain(
      'WHERE NOT coalesce((("qty" <= $1::bigint) OR ("sku" = ANY($2::text[])) OR (NOT ("code" ~ $3::text)) OR (("price" > $4::double precision) AND ("code" IS NOT NULL))), false)',
    );
    expect(compiled.params).toEqual([0, ["POST", "'; DROP TABLE x; --"], "^[0-9]{5}$", 100]);
    expect(compiled.createSql).not.toContain("DROP TABLE x");
  });

  it("computes outlier fences inside the chain and counts clipped values", () => {
    const compiled = compile([
      { op: "clip_outliers", column: "qty", method: "iqr", k: 1.5 },
      { op: "drop_outliers", column: "price", method: "zscore", k: 3 },
    ]);
    expect(compiled.createSql).toContain(
      's1_fences AS (SELECT q1 - $1::double precision * (q3 - q1) AS lo, q3 + $1::double precision * (q3 - q1) AS hi FROM (SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY "qty"::double precision) AS q1, percentile_cont(0.75) WITHIN GROUP (ORDER BY "qty"::double precision) AS q3 FROM s0) AS q)',
    );
    // Integer columns are clipped to whole numbers inside the fences.
    expect(compiled.createSql).toContain(
      'CASE WHEN p."qty" < f.lo THEN ceil(f.lo)::bigint WHEN p."qty" > f.hi THEN floor(f.hi)::bigint ELSE p."qty" END AS "qty"',
    );
    expect(compiled.createSql).toContain(
      's2_fences AS (SELECT avg("price"::double precision) - $2::double precision * stddev_samp("price"::double precision) AS lo',
    );
    expect(compiled.createSql).toContain('WHERE NOT coalesce(p."price" < f.lo OR p."price" > f.hi, false))');
    expect(compiled.countSql).toContain(
      '(SELECT count(*) FROM s0 AS p CROSS JOIN s1_fences AS f WHERE p."qty" < f.lo OR p."qty" > f.hi) AS c1',
    );
    expect(compiled.params).toEqual([1.5, 3]);
    expect(compiled.steps.map((step) => step.changed)).toEqual(["c1", null]);
  });

  it("outputs the schema after casts and guards the cast so bad cells drop the row", () => {
    const compiled = compile([
      { op: "cast", column: "code", to: "integer" },
      { op: "normalise_text", column: "sku", case: "upper", collapseSpaces: true },
    ]);
    expect(compiled.columns).toEqual([
      { name: "sku", type: "text", role: "itemId" },
      { name: "qty", type: "integer" },
      { name: "price", type: "decimal" },
      { name: "code", type: "integer" },
    ]);
    expect(compiled.createSql).toContain(
      'CASE WHEN btrim((p."code")::text) ~ \'^[+-]?[0-9]{1,18}$\' THEN btrim((p."code")::text)::bigint END AS __cast_value',
    );
    expect(compiled.createSql).toContain(
      'WHERE c.__cast_value IS NOT NULL OR c."code" IS NULL OR btrim(c."code"::text) = \'\')',
    );
    expect(compiled.countSql).toContain(
      "(SELECT count(*) FROM s1 AS p WHERE p.\"sku\" IS DISTINCT FROM upper(btrim(regexp_replace(p.\"sku\", '\\s+', ' ', 'g')))) AS c2",
    );
    expect(compiled.params).toEqual([]);
  });

  it("throws every validation issue at once", () => {
    expect(() =>
      compile([
        { op: "impute", column: "price", strategy: "mode" },
        { op: "dedupe", keys: ["sku", "nope"] },
        { op: "impute", column: "cost", strategy: "mean" },
      ]),
    ).toThrow(
      new RecipeValidationError([
        'steps[1].keys[1]: unknown column "nope"',
        'steps[2].column: unknown column "cost"',
      ]),
    );
  });
});
