"use client";

import { useMemo } from "react";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DashboardEventsQuery } from "@/lib/generated/gql/graphql";

type EventsPerDay = DashboardEventsQuery["eventsChart"]["days"][number];

const PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#db2777", "#7c3aed", "#0891b2", "#dc2626", "#65a30d"];
const PREFERRED_ORDER = ["view", "click", "favourite", "cart", "purchase"];

/** The console's own: one chart row, a day and each event type's count. */
type Row = { day: string } & Record<string, number | string>;

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function EventsChart({ data }: { data: EventsPerDay[] }) {
  const { rows, types } = useMemo(() => {
    const typeSet = new Set<string>();
    const byDay = new Map<string, Row>();
    for (const point of data) {
      typeSet.add(point.eventType);
      const row = byDay.get(point.day) ?? { day: point.day };
      row[point.eventType] = (Number(row[point.eventType]) || 0) + point.count;
      byDay.set(point.day, row);
    }
    const sortedTypes = [...typeSet].sort((a, b) => {
      const ia = PREFERRED_ORDER.indexOf(a);
      const ib = PREFERRED_ORDER.indexOf(b);
      if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
      return a.localeCompare(b);
    });
    const sortedRows = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
    for (const row of sortedRows) for (const t of sortedTypes) row[t] ??= 0;
    return { rows: sortedRows, types: sortedTypes };
  }, [data]);

  return (
    <div className="chart" data-testid="events-chart">
      <ResponsiveContainer width="100%" height={320}>
        <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => compact.format(v)} width={56} />
          <Tooltip />
          <Legend />
          {types.map((type, index) => {
            const color = PALETTE[index % PALETTE.length] ?? "#2563eb";
            return (
              <Area
                key={type}
                type="monotone"
                dataKey={type}
                name={type}
                stackId="events"
                stroke={color}
                fill={color}
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            );
          })}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
