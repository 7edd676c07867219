import { describe, expect, it } from "vitest";
import { compileRuleSet, readTotalRows, type TTableRef } from "./compile.ts";
import { parseRule, type TRuleInput, type TTypedRule } from "./rule-types.ts";

const events: TTableRef = {
  schema: "data",
  table: "v_events",
  columns: [
    { name: "event_id", type: "text" },
    { name: "user_id", type: "text" },
    { name: "item_id", type: "text" },
    { name: "event_type", type: "text" },
    { name: "timestamp", type: "timestamp" },
    { name: "price", type: "decimal" },
  ],
};
const products: TTableRef = {
  schema: "data",
  table: "v_products",
  columns: [{ name: "item_id", type: "text" }],
};
const PRODUCTS_ID = "6f1c3c1e-7b43-4c84-9b0e-0d6f6d7f5a11";
const NOW = new Date("2026-11-01T00:00:00Z");

const rules = (inputs: Omit<TRuleInput, "severity">[]): TTypedRule[] =>
  inputs.map((input) => {
    const parsed = parseRule({ severity: "ERROR", ...input });
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.rule;
  });

const ROW_RULES = rules([
  { id: "nn", type: "not_null", params: { column: "user_id" } },
  { id: "rg", type: "range", params: { column: "price", min: 0, max: 5000 } },
  { id: "rx", type: "regex", params: { column: "event_id", pattern: "^E[0-9]+$" } },
  { id: "as", type: "allowed_set", params: { column: "event_type", values: ["view", "click"] } },
  { id: "ln", type: "length", params: { column: "item_id", max: 12 } },
  { id: "rc", type: "row_count", params: { min: 1 } },
  { id: "fr", type: "freshness", params: { column: "timestamp", maxAgeHours: 48 } },
]);

describe("compileRuleSet", () => {
  it("puts every row-level rule, row_count and freshness into ONE scan with bind parameters", () => {
    const plan = compileRuleSet({ rules: ROW_RULES, target: events, now: NOW });
    expect(plan.queries).toEqual([]);
    expect(plan.invalid).toEqual([]);
    expect(plan.main.sql.match(/\bFROM\b/g)).toHaveLength(1);
    expect(plan.main.sql).toContain('FROM "data"."v_events"');
    expect(plan.main.sql.match(/count\(\*\) FILTER \(WHERE/g)).toHaveLength(5);
    expect(plan.main.sql).toContain('count(*) FILTER (WHERE "user_id" IS NULL)');
    expect(plan.main.sql).toContain('("price" < $1::double precision OR "price" > $2::double precision)');
    expect(plan.main.sql).toContain('"event_id"::text !~ $3::text');
    expect(plan.main.sql).toContain('NOT ("event_type"::text = ANY($4::text[]))');
    expect(plan.main.sql).toContain('(char_length("item_id"::text) > $5::integer)');
    expect(plan.main.sql).toContain('max("timestamp")');
    expect(plan.main.params).toEqual([0, 5000, "^E[0-9]+$", ["view", "click"], 12]);
    // No user value ever appears in the statement text.
    expect(plan.main.sql).not.toContain("view");
  });

  it("reads the main query's row into outcomes", () => {
    const plan = compileRuleSet({ rules: ROW_RULES, target: events, now: NOW });
    const row = {
      total: "10",
      r0_fail: "2",
      r0_checked: "10",
      r1_fail: "1",
      r1_checked: "8",
      r1_min: -1,
      r1_max: 20,
      r2_fail: "0",
      r2_checked: "10",
      r3_fail: "3",
      r3_checked: "10",
      r4_fail: "0",
      r4_checked: "10",
      r4_minLength: 7,
      r4_maxLength: 7,
      r6_latest: new Date("2026-10-29T00:00:00Z"),
    };
    expect(readTotalRows([row])).toBe(10);
    const outcomes = plan.main.read([row], 10);
    expect(outcomes.map((o) => [o.ruleId, o.failingCount, o.checkedCount])).toEqual([
      ["nn", 2, 10],
      ["rg", 1, 8],
      ["rx", 0, 10],
      ["as", 3, 10],
      ["ln", 0, 10],
      ["rc", 0, 1],
      ["fr", 1, 1],
    ]);
    expect(outcomes[1]?.observed).toEqual({ min: -1, max: 20 });
    expect(outcomes[6]?.observed.ageHours).toBe(72);
  });

  it("compiles unique as GROUP BY ... HAVING, ref_integrity as an anti-join, custom_sql as a count", () => {
    const plan = compileRuleSet({
      rules: rules([
        { id: "u", type: "unique", params: { columns: ["event_id", "user_id"] } },
        {
          id: "ref",
          type: "ref_integrity",
          params: { column: "item_id", refDatasetId: PRODUCTS_ID, refColumn: "item_id" },
        },
        { id: "sql", type: "custom_sql", params: { sql: "SELECT * FROM {{table}} WHERE price = 0" } },
      ]),
      target: events,
      refs: { [PRODUCTS_ID]: products },
      now: NOW,
    });
    const [unique, ref, custom] = plan.queries;
    expect(unique?.sql).toMatch(/GROUP BY "event_id", "user_id" HAVING count\(\*\) > 1/);
    expect(unique?.sql).toContain("sum(n - 1)");
    expect(ref?.sql).toContain(
      'NOT EXISTS (SELECT 1 FROM "data"."v_products" AS r WHERE r."item_id" = t."item_id")',
    );
    expect(custom?.sql).toBe(
      'SELECT count(*) AS failing FROM (SELECT * FROM "data"."v_events" WHERE price = 0) AS q',
    );
    expect(custom?.untrusted).toBe(true);
    expect(unique?.read([{ failing: "4", keys: "3", max_repeats: "3" }], 100)).toEqual([
      { ruleId: "u", failingCount: 4, checkedCount: 100, observed: { duplicatedKeys: 3, maxRepeats: 3 } },
    ]);
  });

  it("builds a LIMIT 5 sample query with _line for every rule, with its own parameters", () => {
    const plan = compileRuleSet({ rules: ROW_RULES, target: events, now: NOW });
    const range = plan.samples.find((sample) => sample.ruleId === "rg");
    expect(range?.sql).toBe(
      'SELECT "_line", "event_id", "user_id", "item_id", "event_type", "timestamp", "price" FROM "data"."v_events" ' +
        'WHERE ("price" < $1::double precision OR "price" > $2::double precision) ORDER BY "_line" LIMIT 5',
    );
    expect(range?.params).toEqual([0, 5000]);
    // row_count and freshness are table-level: nothing to sample.
    expect(plan.samples.map((sample) => sample.ruleId)).toEqual(["nn", "rg", "rx", "as", "ln"]);
  });

  it("bins drift on the previous version and skips it when there is none", () => {
    const drift = rules([
      { id: "d", type: "drift", params: { column: "price", method: "psi", threshold: 0.1 } },
    ]);
    const first = compileRuleSet({ rules: drift, target: events, previous: null, now: NOW });
    expect(first.queries).toEqual([]);
    expect(first.fixed[0]?.failingCount).toBe(0);
    const next = compileRuleSet({
      rules: drift,
      target: events,
      previous: { ...events, table: "v_prev" },
      now: NOW,
    });
    expect(next.queries[0]?.sql).toContain(
      "percentile_cont(ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]",
    );
    expect(next.queries[0]?.sql).toContain('FROM "data"."v_prev"');
    const outcome = next.queries[0]?.read(
      [
        { bin: "b00", expected: "50", actual: "25" },
        { bin: "b01", expected: "50", actual: "75" },
      ],
      100,
    );
    expect(outcome?.[0]?.failingCount).toBe(1);
    expect(outcome?.[0]?.observed.psi).toBeCloseTo(0.274653, 6);
  });

  it("reports rules that cannot run on this version instead of failing the whole set", () => {
    const plan = compileRuleSet({
      rules: rules([
        { id: "a", type: "not_null", params: { column: "nope" } },
        { id: "b", type: "range", params: { column: "event_type", min: 0 } },
        {
          id: "c",
          type: "ref_integrity",
          params: { column: "item_id", refDatasetId: PRODUCTS_ID, refColumn: "item_id" },
        },
        { id: "d", type: "not_null", params: { column: "item_id" } },
      ]),
      target: events,
      refs: {},
      now: NOW,
    });
    expect(plan.invalid.map((entry) => entry.ruleId)).toEqual(["a", "b", "c"]);
    expect(plan.invalid[1]?.message).toMatch(/needs a number column/);
    expect(plan.main.ruleIds).toEqual(["d"]);
  });

  it("rejects bad params with the field named", () => {
    expect(
      parseRule({ id: "x", type: "range", params: { column: "p", min: 5, max: 1 }, severity: "WARN" }),
    ).toEqual({
      ok: false,
      message: "params.min: min must not exceed max",
    });
    expect(
      parseRule({ id: "x", type: "custom_sql", params: { sql: "DELETE FROM {{table}}" }, severity: "WARN" }),
    ).toMatchObject({
      ok: false,
    });
    expect(parseRule({ id: "x", type: "bogus", params: {}, severity: "WARN" })).toMatchObject({ ok: false });
  });
});
