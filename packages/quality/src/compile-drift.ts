import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type { TColumn, TCompiledQuery } from "./compile-types.ts";
import { chiSquareTest, populationStabilityIndex, type TBinCount } from "./drift-math.ts";
import type { TRuleParams } from "./rule-types.ts";
import { toNumber } from "./sql-text.ts";

// Deciles of the previous version: the customary 10 equal-population PSI bins (Siddiqi, "Credit Risk
// Scorecards", 2006). Categorical columns: the previous version's top 10 values plus "other".
export const DRIFT_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
export const DRIFT_TOP_CATEGORIES = 10;

const valueExpr = (column: TColumn): { expr: string; numeric: boolean } => {
  const name = quoteIdent(column.name);
  if (column.type === "integer" || column.type === "decimal")
    return { expr: `${name}::double precision`, numeric: true };
  if (column.type === "timestamp")
    return { expr: `extract(epoch FROM ${name})::double precision`, numeric: true };
  return { expr: `${name}::text`, numeric: false };
};

// Bin labels: "null", "other", "b<n>" (numeric bucket) or "v:<value>" (category), so no value can
// collide with a label.
const binnedCounts = (previous: string, current: string, column: TColumn): string => {
  const { expr, numeric } = valueExpr(column);
  const bin = numeric
    ? `CASE WHEN v IS NULL THEN 'null' ELSE 'b' || lpad(coalesce(width_bucket(v, (SELECT e FROM edges)), 0)::text, 2, '0') END`
    : `CASE WHEN v IS NULL THEN 'null' WHEN v IN (SELECT v FROM top) THEN 'v:' || v ELSE 'other' END`;
  const prep = numeric
    ? `edges AS (SELECT percentile_cont(ARRAY[${DRIFT_QUANTILES.join(", ")}]::double precision[]) ` +
      `WITHIN GROUP (ORDER BY v) AS e FROM (SELECT ${expr} AS v FROM ${previous}) AS p WHERE v IS NOT NULL)`
    : `top AS (SELECT v FROM (SELECT ${expr} AS v FROM ${previous}) AS p WHERE v IS NOT NULL ` +
      `GROUP BY v ORDER BY count(*) DESC, v LIMIT ${DRIFT_TOP_CATEGORIES})`;
  const side = (label: string, table: string) =>
    `SELECT '${label}' AS side, ${bin} AS bin, count(*) AS n FROM (SELECT ${expr} AS v FROM ${table}) AS s GROUP BY 1, 2`;
  return (
    `WITH ${prep}, counts AS (${side("expected", previous)} UNION ALL ${side("actual", current)}) ` +
    `SELECT bin, coalesce(sum(n) FILTER (WHERE side = 'expected'), 0) AS expected, ` +
    `coalesce(sum(n) FILTER (WHERE side = 'actual'), 0) AS actual FROM counts GROUP BY bin ORDER BY bin`
  );
};

/** Bins from the previous version, counted in both; PSI or chi-square computed on the few bin rows. */
export const compileDrift = (
  current: string,
  previous: string,
  rule: { id: string; params: TRuleParams["drift"] },
  column: TColumn,
): TCompiledQuery => ({
  key: `drift:${rule.id}`,
  ruleIds: [rule.id],
  sql: binnedCounts(previous, current, column),
  params: [],
  untrusted: false,
  read: (rows) => {
    const bins: TBinCount[] = rows.map((row) => ({
      bin: String(row.bin),
      expected: toNumber(row.expected),
      actual: toNumber(row.actual),
    }));
    if (rule.params.method === "psi") {
      const psi = populationStabilityIndex(bins);
      return [
        {
          ruleId: rule.id,
          failingCount: psi > rule.params.threshold ? 1 : 0,
          checkedCount: 1,
          observed: { method: "psi", psi, threshold: rule.params.threshold, bins },
        },
      ];
    }
    const test = chiSquareTest(bins);
    return [
      {
        ruleId: rule.id,
        failingCount: test.pValue < rule.params.threshold ? 1 : 0,
        checkedCount: 1,
        observed: { method: "chi_square", ...test, threshold: rule.params.threshold, bins },
      },
    ];
  },
});
