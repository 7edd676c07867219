"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { graphql } from "@/lib/generated/gql";
import type { HistogramBinFieldsFragment, ValueCountFieldsFragment } from "@/lib/generated/gql/graphql";
import { formatMeasure } from "./format-measure";

export const HistogramBinFieldsFragmentDoc = graphql(`
  fragment HistogramBinFields on HistogramBin { lower upper count }
`);
export const ValueCountFieldsFragmentDoc = graphql(`
  fragment ValueCountFields on ValueCount { value count }
`);

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

export function ColumnHistogram({
  column,
  type,
  bins,
}: {
  column: string;
  type: string;
  bins: HistogramBinFieldsFragment[];
}) {
  const data = bins.map((bin) => ({
    label: `${formatMeasure(bin.lower, type)} – ${formatMeasure(bin.upper, type)}`,
    start: formatMeasure(bin.lower, type),
    count: bin.count,
  }));
  return (
    <div className="chart" data-testid={`histogram-${column}`}>
      <ResponsiveContainer width="100%" height={230}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
          {/* Every bar keeps its label (interval 0), turned so neighbours do not overlap. */}
          <XAxis
            dataKey="start"
            tick={{ fontSize: 10 }}
            interval={0}
            angle={-40}
            textAnchor="end"
            height={64}
          />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => compact.format(v)} width={44} />
          <Tooltip labelFormatter={(_label, payload) => String(payload?.[0]?.payload?.label ?? "")} />
          <Bar dataKey="count" name="rows" fill="#2563eb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function TopValuesChart({ column, values }: { column: string; values: ValueCountFieldsFragment[] }) {
  const data = values.map((entry) => ({
    value: entry.value.length > 28 ? `${entry.value.slice(0, 27)}…` : entry.value,
    count: entry.count,
  }));
  return (
    <div className="chart" data-testid={`top-values-${column}`}>
      <ResponsiveContainer width="100%" height={Math.max(60, 22 * data.length + 24)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={(v: number) => compact.format(v)} />
          <YAxis type="category" dataKey="value" tick={{ fontSize: 11 }} width={140} interval={0} />
          <Tooltip />
          <Bar dataKey="count" name="rows" fill="#16a34a" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
