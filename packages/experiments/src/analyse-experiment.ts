// Results of one look at an experiment: per variant and metric the value with its 95% interval, and per
// treatment the difference to the control, relative lift, the fixed-horizon test (two-proportion z for
// rates, Welch's t for means), the always-valid sequential test, Holm-adjusted p-values across the
// treatments, the sample-ratio check and a verdict in words.
import { holmAdjust } from "./holm.ts";
import { meanOf, type TMetricSummary } from "./metric-summary.ts";
import { twoProportionZTest, wilsonInterval } from "./proportion-test.ts";
import { relativeLift } from "./relative-lift.ts";
import { checkSampleRatio, type TSampleRatioCheck } from "./sample-ratio.ts";
import { sequentialTest } from "./sequential-test.ts";
import { meanInterval, welchTTest } from "./welch-test.ts";

/** RATE: a 0/1 value per user (share of users); MEAN: any per-user value (revenue per user). */
export type TMetricKind = "RATE" | "MEAN";

export type TMetricSpec = {
  key: string;
  kind: TMetricKind /** Name in the verdict's words; the key when omitted. */;
  label?: string;
};

export type TVariantInput = {
  key: string;
  share: number;
  /** Users assigned and exposed in this variant. */
  users: number;
  /** Per-user metric summaries by metric key, each over the same `users`. */
  metrics: Record<string, TMetricSummary>;
};

export type TAnalysisOptions = {
  alpha: number;
  /** Index of the control within `variants`. */
  control: number;
  primary: TMetricSpec;
  guardrails: TMetricSpec[];
  /** Decide on the always-valid sequential test (true) or on the fixed-horizon test at the planned end. */
  sequential: boolean;
  plannedUsersPerVariant: number;
  /** Users per variant below which no verdict is given. */
  minUsersPerVariant?: number;
  /** Running minimum of each (treatment key, metric key) sequential p-value from earlier looks. */
  previousSequentialP?: Record<string, number>;
};

export type TComparison = {
  variant: string;
  metric: string;
  difference: number;
  differenceInterval: [number, number];
  lift: number | null;
  liftInterval: [number, number] | null;
  pValue: number;
  adjustedPValue: number;
  sequentialPValue: number;
  adjustedSequentialPValue: number;
  sequentialInterval: [number, number];
  significant: boolean;
};

export type TVariantMetric = { variant: string; metric: string; value: number; interval: [number, number] };

export type TVerdict = "SRM" | "TOO_EARLY" | "WINNER" | "GUARDRAIL_HARM" | "NO_DIFFERENCE" | "CONTROL_BETTER";

export type TAnalysis = {
  srm: TSampleRatioCheck;
  values: TVariantMetric[];
  comparisons: TComparison[];
  verdict: TVerdict;
  winner: string | null;
  summary: string;
};

const nameOf = (spec: TMetricSpec) => spec.label ?? spec.key;

export const sequentialKey = (variant: string, metric: string) => `${variant}\u0000${metric}`;

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const signedPercent = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

const compareMetric = (
  variants: TVariantInput[],
  spec: TMetricSpec,
  options: TAnalysisOptions,
): TComparison[] => {
  const control = variants[options.control]!;
  const c = control.metrics[spec.key]!;
  const treatments = variants.filter((_, v) => v !== options.control);
  const raw = treatments.map((variant) => {
    const t = variant.metrics[spec.key]!;
    const fixed =
      spec.kind === "RATE"
        ? twoProportionZTest({ n: c.n, successes: c.sum }, { n: t.n, successes: t.sum }, 1 - options.alpha)
        : welchTTest(c, t, 1 - options.alpha);
    const seq = sequentialTest(c, t, {
      alpha: options.alpha,
      plannedUsersPerVariant: options.plannedUsersPerVariant,
    });
    const earlier = options.previousSequentialP?.[sequentialKey(variant.key, spec.key)] ?? 1;
    const lift = relativeLift(c, t, 1 - options.alpha);
    return {
      variant: variant.key,
      metric: spec.key,
      difference: fixed.difference,
      differenceInterval: fixed.interval,
      lift: lift.lift,
      liftInterval: lift.interval,
      pValue: fixed.pValue,
      sequentialPValue: Math.min(earlier, seq.pValue),
      sequentialInterval: seq.interval,
    };
  });
  const adjusted = holmAdjust(raw.map((r) => r.pValue));
  const adjustedSeq = holmAdjust(raw.map((r) => r.sequentialPValue));
  return raw.map((r, i) => {
    const adjustedPValue = adjusted[i]!;
    const adjustedSequentialPValue = adjustedSeq[i]!;
    const decisive = options.sequential ? adjustedSequentialPValue : adjustedPValue;
    return { ...r, adjustedPValue, adjustedSequentialPValue, significant: decisive < options.alpha };
  });
};

const valuesOf = (variants: TVariantInput[], specs: TMetricSpec[], alpha: number): TVariantMetric[] =>
  variants.flatMap((variant) =>
    specs.map((spec) => {
      const s = variant.metrics[spec.key]!;
      const interval =
        spec.kind === "RATE"
          ? wilsonInterval({ n: s.n, successes: s.sum }, 1 - alpha)
          : meanInterval(s, 1 - alpha);
      return { variant: variant.key, metric: spec.key, value: meanOf(s), interval };
    }),
  );

export const analyseExperiment = (variants: TVariantInput[], options: TAnalysisOptions): TAnalysis => {
  const specs = [options.primary, ...options.guardrails.filter((g) => g.key !== options.primary.key)];
  const srm = checkSampleRatio(
    variants.map((v) => v.users),
    variants.map((v) => v.share),
  );
  const values = valuesOf(variants, specs, options.alpha);
  const comparisons = specs.flatMap((spec) => compareMetric(variants, spec, options));
  const mode = options.sequential ? "always-valid sequential test" : "fixed-horizon test";
  const minUsers = options.minUsersPerVariant ?? 100;
  const control = variants[options.control]!.key;
  const result = (verdict: TVerdict, winner: string | null, summary: string): TAnalysis => ({
    srm,
    values,
    comparisons,
    verdict,
    winner,
    summary,
  });
  if (srm.mismatch) {
    const counts = variants.map((v, i) => `${v.key} ${v.users} (expected ${Math.round(srm.expected[i]!)})`);
    return result(
      "SRM",
      null,
      `Sample ratio mismatch: users per variant ${counts.join(", ")} do not match the configured shares (chi-square p = ${srm.pValue.toExponential(2)}). Assignment or exposure logging is broken; do not trust these results.`,
    );
  }
  const smallest = Math.min(...variants.map((v) => v.users));
  if (smallest < minUsers) {
    return result(
      "TOO_EARLY",
      null,
      `Too early: the smallest variant has ${smallest} users; results need at least ${minUsers} per variant.`,
    );
  }
  const primary = comparisons.filter((c) => c.metric === options.primary.key);
  const winners = primary
    .filter((c) => c.significant && c.difference > 0)
    .sort((a, b) => b.difference - a.difference);
  const best = winners[0];
  if (best) {
    const harms = comparisons.filter(
      (c) =>
        c.variant === best.variant && c.metric !== options.primary.key && c.significant && c.difference < 0,
    );
    const liftText =
      best.lift !== null && best.liftInterval
        ? `${signedPercent(best.lift)} (95% interval ${signedPercent(best.liftInterval[0])} to ${signedPercent(best.liftInterval[1])})`
        : `${best.difference.toFixed(4)}`;
    const p = options.sequential ? best.adjustedSequentialPValue : best.adjustedPValue;
    if (harms.length > 0) {
      return result(
        "GUARDRAIL_HARM",
        null,
        `${best.variant} raised ${nameOf(options.primary)} by ${liftText} over ${control}, but hurt ${harms.map((h) => nameOf(specs.find((s) => s.key === h.metric)!)).join(", ")}; do not promote without a decision on that trade-off.`,
      );
    }
    return result(
      "WINNER",
      best.variant,
      `${best.variant} beats ${control} on ${nameOf(options.primary)}: ${liftText}, adjusted p = ${p.toPrecision(2)} (${mode}, alpha ${options.alpha}); no guardrail is hurt. Promote ${best.variant}.`,
    );
  }
  const losers = primary.filter((c) => c.significant && c.difference < 0);
  if (losers.length > 0) {
    return result(
      "CONTROL_BETTER",
      control,
      `${control} beats ${losers.map((l) => l.variant).join(", ")} on ${nameOf(options.primary)} (${mode}); keep ${control}.`,
    );
  }
  const widest = primary
    .map((c) =>
      c.liftInterval
        ? `${c.variant}: lift ${signedPercent(c.lift ?? 0)} (${signedPercent(c.liftInterval[0])} to ${signedPercent(c.liftInterval[1])})`
        : c.variant,
    )
    .join("; ");
  const rate = values.find((v) => v.variant === control && v.metric === options.primary.key)?.value ?? 0;
  return result(
    "NO_DIFFERENCE",
    null,
    `No significant difference on ${nameOf(options.primary)} yet (${mode}, alpha ${options.alpha}; control ${options.primary.kind === "RATE" ? percent(rate) : rate.toFixed(3)}). ${widest}.`,
  );
};
