import type { Metadata } from "next";
import Link from "next/link";
import { ErrorBox } from "@/components/ErrorBox";
import { StatusBadge } from "@/components/StatusBadge";
import { tryGql } from "@/lib/graphql";
import { type ExperimentResults, formatMetric, formatP, METRIC_LABELS, RESULTS_QUERY } from "../queries";
import { MetricsOverTime } from "./MetricsOverTime";

export const metadata: Metadata = { title: "Experiment results" };
export const dynamic = "force-dynamic";

const VERDICT_CLASS: Record<ExperimentResults["verdict"], string> = {
  WINNER: "status-completed",
  CONTROL_BETTER: "status-active",
  NO_DIFFERENCE: "status-pending",
  TOO_EARLY: "status-queued",
  GUARDRAIL_HARM: "status-failed",
  SRM: "status-failed",
};

const signed = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const answer = await tryGql(RESULTS_QUERY, { id });
  if (!answer.ok) {
    return (
      <>
        <div className="breadcrumb">
          <Link href="/experiments">Experiments</Link>
        </div>
        <ErrorBox error={answer.error} title="The results could not be read" />
      </>
    );
  }
  const r = answer.data.experimentResults;
  const e = r.experiment;
  const variants = e.variants.map((v) => v.key);
  const metrics = [e.primaryMetric, ...e.guardrailMetrics];
  const exposed = r.traffic.reduce((sum, t) => sum + t.users, 0);
  return (
    <>
      <div className="breadcrumb">
        <Link href="/experiments">Experiments</Link> / {e.name}
      </div>
      <div className="page-header">
        <h1>{e.name}</h1>
        <StatusBadge status={e.status} />
        <span className="muted">
          {e.modelName} · primary {METRIC_LABELS[e.primaryMetric]}
          {e.guardrailMetrics.length > 0
            ? ` · guardrails ${e.guardrailMetrics.map((m) => METRIC_LABELS[m]).join(", ")}`
            : ""}{" "}
          · {e.sequential ? "always-valid sequential test" : "fixed-horizon test"} at alpha {e.alpha}
        </span>
      </div>
      <section className="panel" data-testid="verdict">
        <h2>
          Verdict <span className={`status ${VERDICT_CLASS[r.verdict]}`}>{r.verdict.replace("_", " ")}</span>
        </h2>
        <p className="strong">{r.summary}</p>
        {r.sampleRatio.mismatch ? (
          <p className="error-text">
            Sample-ratio check failed: chi-square {r.sampleRatio.chiSquare.toFixed(1)}, p ={" "}
            {formatP(r.sampleRatio.pValue)}.
          </p>
        ) : (
          <p className="muted">
            Sample-ratio check passed (chi-square {r.sampleRatio.chiSquare.toFixed(2)}, p ={" "}
            {formatP(r.sampleRatio.pValue)}).
          </p>
        )}
      </section>
      {exposed === 0 ? (
        <div className="empty" data-testid="results-empty">
          <p>
            <strong>No exposures yet.</strong>{" "}
            {e.status === "DRAFT"
              ? "The experiment has not started: start it and recommend will route users to their variants."
              : "No recommend answer has been served inside this experiment yet."}
          </p>
        </div>
      ) : (
        <>
          <section className="panel">
            <h2>Traffic</h2>
            <table className="table" data-testid="traffic-table">
              <thead>
                <tr>
                  <th>Variant</th>
                  <th>Model</th>
                  <th>Share</th>
                  <th>Users</th>
                  <th>Exposures</th>
                  <th>Attributed events</th>
                </tr>
              </thead>
              <tbody>
                {e.variants.map((v) => {
                  const t = r.traffic.find((x) => x.variant === v.key);
                  return (
                    <tr key={v.key}>
                      <td>
                        {v.key}
                        {v.isControl ? " (control)" : ""}
                      </td>
                      <td className="mono">v{v.modelVersion ?? "?"}</td>
                      <td>{Math.round(v.share * 100)}%</td>
                      <td>{t?.users ?? 0}</td>
                      <td>{t?.exposures ?? 0}</td>
                      <td>{t?.attributedEvents ?? 0}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <section className="panel">
            <h2>Metrics</h2>
            <table className="table" data-testid="metrics-table">
              <thead>
                <tr>
                  <th>Metric</th>
                  {variants.map((v) => (
                    <th key={v}>{v}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {metrics.map((metric) => (
                  <tr key={metric}>
                    <td>{METRIC_LABELS[metric]}</td>
                    {variants.map((variant) => {
                      const v = r.values.find((x) => x.variant === variant && x.metric === metric);
                      return (
                        <td key={variant} className="nowrap">
                          {v ? (
                            <>
                              {formatMetric(metric, v.value)}{" "}
                              <span className="muted">
                                [{formatMetric(metric, v.low)}, {formatMetric(metric, v.high)}]
                              </span>
                            </>
                          ) : (
                            "—"
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Per exposed user, with 95% intervals (Wilson for rates, t for revenue).</p>
          </section>
          <section className="panel">
            <h2>Against the control</h2>
            <table className="table" data-testid="comparisons-table">
              <thead>
                <tr>
                  <th>Variant</th>
                  <th>Metric</th>
                  <th>Lift [95% interval]</th>
                  <th>p (fixed)</th>
                  <th>p (Holm)</th>
                  <th>p (always valid, Holm)</th>
                  <th>Significant</th>
                </tr>
              </thead>
              <tbody>
                {r.comparisons.map((c) => (
                  <tr key={`${c.variant}-${c.metric}`}>
                    <td>{c.variant}</td>
                    <td>{METRIC_LABELS[c.metric]}</td>
                    <td className="nowrap">
                      {c.lift === null ? "—" : signed(c.lift)}
                      {c.liftLow !== null && c.liftHigh !== null ? (
                        <span className="muted">
                          {" "}
                          [{signed(c.liftLow)}, {signed(c.liftHigh)}]
                        </span>
                      ) : null}
                    </td>
                    <td>{formatP(c.pValue)}</td>
                    <td>{formatP(c.adjustedPValue)}</td>
                    <td>{formatP(c.adjustedSequentialPValue)}</td>
                    <td>{c.significant ? (c.difference > 0 ? "yes, better" : "yes, worse") : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel">
            <h2>Over time</h2>
            {r.timeline.length < 2 ? (
              <p className="muted" data-testid="timeline-single">
                All traffic so far falls in one {r.timelineUnit.toLowerCase()}: each chart shows one point per
                variant until the traffic spans two.
              </p>
            ) : null}
            {metrics.map((metric) => (
              <MetricsOverTime
                key={metric}
                timeline={r.timeline}
                unit={r.timelineUnit}
                variants={variants}
                metric={metric}
              />
            ))}
          </section>
        </>
      )}
    </>
  );
}
