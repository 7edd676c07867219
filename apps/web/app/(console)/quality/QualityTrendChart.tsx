"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { QualityTrendPoint } from "./queries";

/** Quality score of each version's latest run, oldest version first. */
export function QualityTrendChart({ points }: { points: QualityTrendPoint[] }) {
  const data = points
    .filter((point) => point.score !== null)
    .map((point) => ({ version: `v${point.versionNumber}`, score: point.score }));
  return (
    <div data-testid="quality-trend" style={{ width: "100%", height: 220 }}>
      {data.length === 0 ? (
        // A designed empty state instead of a bare frame: what the chart will show and how to fill it.
        <div className="chart-empty" data-testid="quality-trend-empty">
          <strong>No quality score yet</strong>
          <p className="muted">
            Each version gets a score (0 to 1) when its rules have run. Add a rule below, then run a check:
            the scores of the versions appear here, oldest first.
          </p>
        </div>
      ) : (
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="version" />
            <YAxis domain={[0, 1]} tickFormatter={(value: number) => value.toFixed(1)} />
            <Tooltip formatter={(value) => (typeof value === "number" ? value.toFixed(3) : String(value))} />
            <Line type="monotone" dataKey="score" name="Quality score" stroke="#2563eb" strokeWidth={2} dot />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
