"use client";

import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { type ExperimentMetric, type ExperimentResults, formatMetric, METRIC_LABELS } from "../queries";

const PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#db2777", "#7c3aed"];

/** The console's own: one chart row, a period and each variant's value. */
type Row = { day: string } & Record<string, number | string>;

const UNIT_WORDS: Record<ExperimentResults["timelineUnit"], string> = {
  MINUTE: "minute",
  HOUR: "hour",
  DAY: "day",
};

/** A period's start as the axis shows it: the date for days, the UTC time (and date) for shorter periods. */
const periodLabel = (iso: string, unit: ExperimentResults["timelineUnit"]) =>
  unit === "DAY" ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;

/** One metric's cumulative value per variant, period by period since the start. */
export function MetricsOverTime({
  timeline,
  unit,
  variants,
  metric,
}: {
  timeline: ExperimentResults["timeline"];
  unit: ExperimentResults["timelineUnit"];
  variants: string[];
  metric: ExperimentMetric;
}) {
  const rows = useMemo(
    () =>
      timeline.map((day) => {
        const row: Row = { day: periodLabel(day.day, unit) };
        for (const value of day.values) if (value.metric === metric) row[value.variant] = value.value;
        return row;
      }),
    [timeline, metric, unit],
  );
  return (
    <div className="chart" data-testid={`chart-${metric}`}>
      <h3>
        {METRIC_LABELS[metric]} (cumulative, by {UNIT_WORDS[unit]}
        {unit === "DAY" ? "" : ", UTC"})
      </h3>
      {/* A fixed size renders on the server too, so the chart is there before (and without) hydration. */}
      <LineChart width={900} height={240} data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
        <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={24} />
        <YAxis tick={{ fontSize: 12 }} width={64} tickFormatter={(v: number) => formatMetric(metric, v)} />
        <Tooltip formatter={(v) => formatMetric(metric, Number(v))} />
        <Legend />
        {variants.map((variant, index) => (
          <Line
            key={variant}
            type="monotone"
            dataKey={variant}
            name={variant}
            stroke={PALETTE[index % PALETTE.length]}
            strokeWidth={2}
            dot={rows.length < 20}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </div>
  );
}
