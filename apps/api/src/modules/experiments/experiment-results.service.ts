// Results of an experiment. PostgreSQL aggregates the per-user outcomes (the unit of randomisation)
// into sufficient statistics per (period, variant), cumulative up to each period; Node only runs the
// tests of @dam/experiments on those few rows, period by period, so the sequential p-values are running minima.
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
import {
  findExperimentById,
  readOutcomeTimeline,
  readVariantTraffic,
  type TDayRow,
} from "./experiments.repository.ts";

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
  const experiment = await findExperimentById(deps, id);
  if (!experiment) throw new AppError("NOT_FOUND", `Experiment ${id} does not exist`, { field: "id" });
  const [daily, traffic] = await Promise.all([
    readOutcomeTimeline(deps, id, { click: CLICK_TYPES, cart: CART_TYPES, purchase: PURCHASE_TYPE }),
    readVariantTraffic(deps, id),
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
  const days = [...new Set(daily.map((r) => r.day.getTime()))].sort((a, b) => a - b);
  let previous: Record<string, number> = {};
  const timeline: { day: Date; analysis: TAnalysis; inputs: TVariantInput[] }[] = [];
  for (const day of days) {
    const inputs: TVariantInput[] = variants.map((variant) => {
      const row = daily.find((r) => r.day.getTime() === day && r.v === variant.position);
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
      const row = traffic.find((r) => r.v === variant.position);
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
    timelineUnit: daily[0]?.unit ?? "DAY",
    timeline: timeline.map(({ day, analysis, inputs }) => ({
      day,
      values: analysis.values.map(valueOut),
      users: inputs.map((i) => ({ variant: i.key, users: i.users, exposures: 0, attributedEvents: 0 })),
      comparisons: analysis.comparisons.map(comparisonOut),
    })),
  };
};
