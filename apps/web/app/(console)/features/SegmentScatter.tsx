"use client";

import {
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Segment, SegmentSetDetail } from "./queries";

// A qualitative palette with enough distinct hues for ~12 segments; noise is grey.
const PALETTE = [
  "#2563eb",
  "#dc2626",
  "#16a34a",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#db2777",
  "#65a30d",
  "#ea580c",
  "#4f46e5",
  "#0d9488",
  "#a16207",
];
export const segmentColour = (index: number) => (index < 0 ? "#9ca3af" : PALETTE[index % PALETTE.length]!);

/** Users on the first two principal components of the clustered profile features, coloured by segment. */
export function SegmentScatter({ set }: { set: SegmentSetDetail }) {
  const groups: { key: number; name: string; points: { x: number; y: number; userId: string }[] }[] = [
    ...set.segments.map((s: Segment) => ({
      key: s.index,
      name: s.name,
      points: [] as { x: number; y: number; userId: string }[],
    })),
  ];
  const noise = { key: -1, name: "Noise", points: [] as { x: number; y: number; userId: string }[] };
  for (const p of set.projection) {
    const group = p.segment < 0 ? noise : groups[p.segment];
    group?.points.push({ x: p.x, y: p.y, userId: p.userId });
  }
  const shown = noise.points.length > 0 ? [...groups, noise] : groups;
  return (
    <div data-testid="segment-scatter" style={{ width: "100%", height: 420 }}>
      <ResponsiveContainer>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" name="PC 1" tickFormatter={(v: number) => v.toFixed(2)} />
          <YAxis type="number" dataKey="y" name="PC 2" tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip
            cursor={{ strokeDasharray: "3 3" }}
            formatter={(value) => (typeof value === "number" ? value.toFixed(3) : String(value))}
          />
          <Legend />
          {shown.map((group) => (
            <Scatter
              key={group.key}
              name={group.name}
              data={group.points}
              fill={segmentColour(group.key)}
              isAnimationActive={false}
              shape="circle"
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
