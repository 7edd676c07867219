"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/lib/format";
import type { CompareAnswer, ComparedModel, RankingMetrics } from "./queries";

const METRICS: { key: keyof RankingMetrics; label: string }[] = [
  { key: "ndcg", label: "NDCG@10" },
  { key: "recall", label: "Recall@10" },
  { key: "mrr", label: "MRR@10" },
  { key: "hit", label: "Hit@10" },
  { key: "precision", label: "Precision@10" },
  { key: "coverage", label: "Coverage" },
];
const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04"];

const labelOf = (model: ComparedModel) => `${model.name} v${model.version} ${model.algorithm}`;

const axisNumber = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 3 });

/**
 * One row per epoch with a column per model, as recharts wants for several lines on one chart. With
 * `relative`, each model's value is divided by its first epoch's, so models whose losses differ by
 * orders of magnitude (BPR's log-loss per sample against ALS's squared error) each use the whole axis;
 * the raw value stays in `<id>:raw` for the tooltip.
 */
const curveRows = (
  models: ComparedModel[],
  pick: (point: ComparedModel["curves"][number]) => number | null,
  relative: boolean,
) => {
  const epochs = Math.max(0, ...models.map((model) => model.curves.length));
  const base = new Map(
    models.map((model) => [
      model.id,
      model.curves.map(pick).find((value) => value !== null && value !== 0) ?? null,
    ]),
  );
  return Array.from({ length: epochs }, (_, i) => {
    const row: Record<string, number | null> = { epoch: i + 1 };
    for (const model of models) {
      const point = model.curves.find((p) => p.epoch === i + 1);
      const value = point ? pick(point) : null;
      const scale = base.get(model.id) ?? null;
      row[`${model.id}:raw`] = value;
      row[model.id] = value === null ? null : relative ? (scale ? value / scale : null) : value;
    }
    return row;
  });
};

function CurveChart({
  title,
  models,
  pick,
  testId,
  relative = false,
}: {
  title: string;
  models: ComparedModel[];
  pick: (point: ComparedModel["curves"][number]) => number | null;
  testId: string;
  /** Each model relative to its first epoch (for losses on different scales). */
  relative?: boolean;
}) {
  const rows = curveRows(models, pick, relative);
  return (
    <figure className="chart" data-testid={testId} style={{ margin: 0 }}>
      <figcaption>
        <strong>{title}</strong>
        {relative ? (
          <span className="muted small"> · each model relative to its first epoch (= 1)</span>
        ) : null}
      </figcaption>
      <div style={{ width: "100%", height: 240 }}>
        <ResponsiveContainer>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" />
            {/* Compact labels in a wide enough axis: long decimals were clipped at the card's edge. */}
            <YAxis
              tickFormatter={(value: number) => axisNumber.format(value)}
              width={56}
              domain={relative ? [0, "auto"] : ["auto", "auto"]}
            />
            <Tooltip
              formatter={(value, _name, item) => {
                const raw = (item.payload as Record<string, number | null>)[`${String(item.dataKey)}:raw`];
                const shown = typeof raw === "number" ? raw.toPrecision(4) : String(value);
                return relative && typeof value === "number"
                  ? `${shown} (${value.toFixed(2)}× epoch 1)`
                  : shown;
              }}
            />
            <Legend />
            {models.map((model) => (
              <Line
                key={model.id}
                type="monotone"
                dataKey={model.id}
                name={labelOf(model)}
                stroke={COLOURS[models.indexOf(model) % COLOURS.length]}
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function CompareView({ comparison }: { comparison: CompareAnswer["compareModels"] }) {
  const { versions, bestId, sameProtocol } = comparison;
  const iterative = versions.filter((model) => model.curves.length > 0);
  return (
    <section className="panel" aria-label="Comparison">
      <h2>Comparison</h2>
      {!sameProtocol ? (
        <p className="error-box" role="note">
          These versions were evaluated under different protocols; their metrics are not directly comparable.
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">Metric (test)</th>
              {versions.map((model) => (
                <th scope="col" key={model.id}>
                  {labelOf(model)}
                  {model.id === bestId ? <span className="status status-completed"> best</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {METRICS.map((metric) => (
              <tr key={metric.key}>
                <th scope="row">{metric.label}</th>
                {versions.map((model) => (
                  <td className="num" key={model.id}>
                    {model.metrics ? model.metrics[metric.key].toFixed(4) : "–"}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">Validation NDCG@10</th>
              {versions.map((model) => (
                <td className="num" key={model.id}>
                  {model.validationMetrics ? model.validationMetrics.ndcg.toFixed(4) : "–"}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Protocol</th>
              {versions.map((model) => (
                <td key={model.id}>{model.protocolDetail ?? model.protocol ?? "–"}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">Chosen params</th>
              {versions.map((model) => (
                <td className="wrap" key={model.id}>
                  <code>{JSON.stringify(model.selectedParams ?? model.params)}</code>
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Final fit time</th>
              {versions.map((model) => (
                <td className="num" key={model.id}>
                  {formatDuration(model.trainSeconds)}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Users / items / interactions</th>
              {versions.map((model) => (
                <td className="num" key={model.id}>
                  {model.data
                    ? `${model.data.users} / ${model.data.items} / ${model.data.interactions}`
                    : "–"}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {iterative.length > 0 ? (
        <div
          style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))", gap: 16 }}
        >
          <CurveChart
            title="Training loss per epoch"
            models={iterative}
            pick={(p) => p.loss}
            testId="loss-chart"
            relative
          />
          <CurveChart
            title="Validation NDCG@10 per epoch"
            models={iterative}
            pick={(p) => p.validationNdcg}
            testId="ndcg-chart"
          />
        </div>
      ) : (
        <p className="empty">None of these versions is iterative (ALS, BPR): no training curves to chart.</p>
      )}
    </section>
  );
}
