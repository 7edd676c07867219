// Results of an experiment. PostgreSQL aggregates the per-user outcomes (the unit of randomisation)
// into sufficient statistics per (day, variant), cumulative up to each day; Node only runs the tests of
// @dam/experiments on those few rows, day by day, so the sequential p-values are running minima.
import {
  analyseExperiment,
  sequentialKey,
  type TAnalysis,
  type TVariantInput,
} from "@dam/experiments/analyse-experiment";
import type { TMetricSummary } from "@dam/experiments/metric-summary";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import {
  CART_TYPES,
  CLICK_TYPES,
  metricSpec,
  PURCHASE_TYPE,
  type TExperimentMetric,
} from "./experiment-metrics.ts";

type TDayRow = {
  day: Date;
  v: number;
  users: number;
  clicked: number;
  carted: number;
  bought: number;
  revenue: number;
  revenue_sq: number;
};

// One row per (day, variant): users first exposed by the end of that day and their outcomes by then.
const DAILY_SQL = `
WITH u AS (
  SELECT "variantPosition" AS v, "userId" AS uid, min(ts) AS first_ts
  FROM "Exposure" WHERE "experimentId" = $1 GROUP BY 1, 2
), e AS (
  SELECT "variantPosition" AS v, "userId" AS uid, type, value, ts
  FROM "ExperimentEvent" WHERE "experimentId" = $1
), bounds AS (
  SELECT date_trunc('day', min(first_ts)) AS lo,
         date_trunc('day', greatest(max(first_ts), (SELECT max(ts) FROM e))) AS hi FROM u
), days AS (
  SELECT generate_series(lo, hi, interval '1 day') AS d FROM bounds WHERE lo IS NOT NULL
), per AS (
  SELECT days.d, u.v, u.uid,
    coalesce(bool_or(e.type = ANY($2::text[])), false) AS clicked,
    coalesce(bool_or(e.type = ANY($3::text[])), false) AS carted,
    coalesce(bool_or(e.type = $4), false) AS bought,
    coalesce(sum(e.value) FILTER (WHERE e.type = $4), 0) AS revenue
  FROM days
  JOIN u ON u.first_ts < days.d + interval '1 day'
  LEFT JOIN e ON e.uid = u.uid AND e.v = u.v AND e.ts < days.d + interval '1 day'
  GROUP BY days.d, u.v, u.uid
)
SELECT d AS day, v, count(*)::int AS users, sum(clicked::int)::int AS clicked, sum(carted::int)::int AS carted,
  sum(bought::int)::int AS bought, sum(revenue)::float8 AS revenue, sum(revenue * revenue)::float8 AS revenue_sq
FROM per GROUP BY d, v ORDER BY d, v`;

const TRAFFIC_SQL = `
SELECT x.v, coalesce(x.users, 0)::int AS users, coalesce(x.exposures, 0)::int AS exposures,
  coalesce(y.events, 0)::int AS events
FROM (SELECT "variantPosition" AS v, count(DISTINCT "userId") AS users, count(*) AS exposures
      FROM "Exposure" WHERE "experimentId" = $1 GROUP BY 1) x
LEFT JOIN (SELECT "variantPosition" AS v, count(*) AS events FROM "ExperimentEvent" WHERE "experimentId" = $1 GROUP BY 1) y
  ON x.v = y.v`;

const rate = (n: number, successes: number): TMetricSummary => ({ n, sum: successes, sumSquares: successes });

const metricsOf = (row: TDayRow | undefined): Record<TExperimentMetric, TMetricSummary> => {
  const n = row?.users ?? 0;
  return {
    CLICK_THROUGH: rate(n, row?.clicked ?? 0),
    ADD_TO_CART: rate(n, row?.carted ?? 0),
    CONVERSION: rate(n, row?.bought ?? 0),
    REVENUE_PER_USER: { n, sum: row?.revenue ?? 0, sumSquares: row?.revenue_sq ?? 0 },
  };
};

const comparisonOut = (c: TAnalysis["comparisons"][number]) => ({
  variant: c.variant,
  metric: c.metric,
  difference: c.difference,
  differenceLow: c.differenceInterval[0],
  differenceHigh: c.differenceInterval[1],
  lift: c.lift,
  liftLow: c.liftInterval?.[0] ?? null,
  liftHigh: c.liftInterval?.[1] ?? null,
  pValue: c.pValue,
  adjustedPValue: c.adjustedPValue,
  sequentialPValue: c.sequentialPValue,
  adjustedSequentialPValue: c.adjustedSequentialPValue,
  sequentialLow: Number.isFinite(c.sequentialInterval[0]) ? c.sequentialInterval[0] : null,
  sequentialHigh: Number.isFinite(c.sequentialInterval[1]) ? c.sequentialInterval[1] : null,
  significant: c.significant,
});

const valueOut = (v: TAnalysis["values"][number]) => ({
  variant: v.variant,
  metric: v.metric,
  value: v.value,
  low: v.interval[0],
  high: v.interval[1],
});

export const readExperimentResults = async (deps: TDeps, id: string) => {
  const experiment = await deps.db.experiment.findUnique({
    where: { id },
    include: { variants: { orderBy: { position: "asc" } } },
  });
  if (!experiment) throw new AppError("NOT_FOUND", `Experiment ${id} does not exist`, { field: "id" });
  const [daily, traffic] = await Promise.all([
    deps.pool.query<TDayRow>(DAILY_SQL, [id, CLICK_TYPES, CART_TYPES, PURCHASE_TYPE]),
    deps.pool.query<{ v: number; users: number; exposures: number; events: number }>(TRAFFIC_SQL, [id]),
  ]);
  const variants = experiment.variants;
  const control = variants.findIndex((v) => v.isControl);
  const options = {
    alpha: experiment.alpha,
    control,
    primary: metricSpec(experiment.primaryMetric as TExperimentMetric),
    guardrails: experiment.guardrailMetrics.map((m) => metricSpec(m as TExperimentMetric)),
    sequential: experiment.sequential,
    plannedUsersPerVariant: experiment.plannedUsersPerVariant,
  };
  const days = [...new Set(daily.rows.map((r) => r.day.getTime()))].sort((a, b) => a - b);
  let previous: Record<string, number> = {};
  const timeline: { day: Date; analysis: TAnalysis; inputs: TVariantInput[] }[] = [];
  for (const day of days) {
    const inputs: TVariantInput[] = variants.map((variant) => {
      const row = daily.rows.find((r) => r.day.getTime() === day && r.v === variant.position);
      return { key: variant.key, share: variant.share, users: row?.users ?? 0, metrics: metricsOf(row) };
    });
    const analysis = analyseExperiment(inputs, { ...options, previousSequentialP: previous });
    previous = Object.fromEntries(
      analysis.comparisons.map((c) => [sequentialKey(c.variant, c.metric), c.sequentialPValue]),
    );
    timeline.push({ day: new Date(day), analysis, inputs });
  }
  const last =
    timeline.at(-1)?.analysis ??
    analyseExperiment(
      variants.map((v) => ({ key: v.key, share: v.share, users: 0, metrics: metricsOf(undefined) })),
      options,
    );
  return {
    experiment,
    traffic: variants.map((variant) => {
      const row = traffic.rows.find((r) => r.v === variant.position);
      return {
        variant: variant.key,
        users: row?.users ?? 0,
        exposures: row?.exposures ?? 0,
        attributedEvents: row?.events ?? 0,
      };
    }),
    values: last.values.map(valueOut),
    comparisons: last.comparisons.map(comparisonOut),
    sampleRatio: { chiSquare: last.srm.chiSquare, pValue: last.srm.pValue, mismatch: last.srm.mismatch },
    verdict: last.verdict,
    winner: last.winner,
    summary: last.summary,
    timeline: timeline.map(({ day, analysis, inputs }) => ({
      day,
      values: analysis.values.map(valueOut),
      users: inputs.map((i) => ({ variant: i.key, users: i.users, exposures: 0, attributedEvents: 0 })),
      comparisons: analysis.comparisons.map(comparisonOut),
    })),
  };
};
