"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { QualityTrendPoint } from "./queries";

/** Quality score of each version's latest run, oldest version first. */
export function QualityTrendChart({ points }: { points: QualityTrendPoint[] }) {
  const data = points.map((point) => ({ version: `v${point.versionNumber}`, score: point.score }));
  return (
    <div data-testid="quality-trend" style={{ width: "100%", height: 220 }}>
      {data.length === 0 ? (
        <p className="empty">No finished quality run yet.</p>
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
