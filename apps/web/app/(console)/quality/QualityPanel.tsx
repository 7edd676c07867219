"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatScore, formatTime } from "@/lib/format";
import { asRecord } from "@/lib/json";
import { QualityTrendChart } from "./QualityTrendChart";
import {
  DELETE_RULE,
  JOB_QUERY,
  OVERRIDE_GATE,
  QUALITY_QUERY,
  type QualityPageAnswer,
  type QualityRule,
  RUN_CHECK,
  UPDATE_RULE,
} from "./queries";
import { ResultsTable } from "./ResultsTable";
import { RuleForm } from "./RuleForm";

const POLL_MS = 1000;
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

type Props = { initial: QualityPageAnswer; datasets: { id: string; name: string }[] };

const describeParams = (rule: QualityRule) =>
  Object.entries(asRecord(rule.params))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("|") : String(value)}`)
    .join(", ");

export function QualityPanel({ initial, datasets }: Props) {
  const [answer, setAnswer] = useState(initial);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [job, setJob] = useState<{ id: string; status: string; error?: string | null } | null>(null);
  const [reason, setReason] = useState("");
  const dataset = answer.dataset!;
  const version = dataset.latestVersion;
  const runs = answer.qualityRuns.edges.map((edge) => edge.node);
  const latest = runs.find((run) => run.finishedAt) ?? null;

  const reload = useCallback(async () => {
    setAnswer(await clientGql(QUALITY_QUERY, { id: dataset.id }));
  }, [dataset.id]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await reload();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  // Polls the quality job started here until it ends, then shows its run.
  const jobId = job && !TERMINAL.includes(job.status) ? job.id : null;
  useEffect(() => {
    if (!jobId) return undefined;
    const timer = setInterval(async () => {
      try {
        const data = await clientGql(JOB_QUERY, { id: jobId });
        if (!data.job) return;
        setJob(data.job);
        if (TERMINAL.includes(data.job.status)) await reload();
      } catch (e) {
        setError(toErrorInfo(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [jobId, reload]);

  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      <section className="panel" aria-label="Quality gate">
        <h2>Latest version</h2>
        {version ? (
          <>
            <p>
              v{version.number}: score <strong>{formatScore(version.qualityScore)}</strong>,{" "}
              {version.qualityFailed ? (
                version.qualityOverride ? (
                  <span className="status status-running">gate failed, overridden</span>
                ) : (
                  <span className="status status-failed">gate failed: downstream jobs refuse it</span>
                )
              ) : (
                <span className="status status-completed">gate passed</span>
              )}
            </p>
            <div className="form-grid">
              <button
                className="button primary"
                type="button"
                disabled={Boolean(jobId)}
                onClick={() =>
                  act(async () => {
                    const data = await clientGql(RUN_CHECK, {
                      versionId: version.id,
                    });
                    setJob(data.runQualityCheck);
                  })
                }
              >
                {jobId ? "Checking..." : `Run checks on v${version.number}`}
              </button>
              {job ? <StatusBadge status={job.status} /> : null}
              {job?.error ? <span className="muted">{job.error}</span> : null}
            </div>
            {version.qualityFailed && !version.qualityOverride ? (
              <form
                className="form-grid"
                aria-label="Override quality gate"
                onSubmit={(event) => {
                  event.preventDefault();
                  void act(() => clientGql(OVERRIDE_GATE, { versionId: version.id, reason }));
                }}
              >
                <label>
                  Reason for the override (recorded in the audit log)
                  <input required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
                <div>
                  <button className="button danger" type="submit">
                    Override gate
                  </button>
                </div>
              </form>
            ) : null}
          </>
        ) : (
          <p className="empty">No READY version yet: rules run when one is imported.</p>
        )}
      </section>

      <section className="panel" aria-label="Quality score per version">
        <h2>Score per version</h2>
        <QualityTrendChart points={answer.qualityTrend} />
      </section>

      <section className="panel" aria-label="Rules">
        <h2>Rules ({answer.qualityRules.length})</h2>
        {answer.qualityRules.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Params</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {answer.qualityRules.map((rule) => (
                  <tr key={rule.id}>
                    <td>{rule.name}</td>
                    <td>{rule.type}</td>
                    <td className="wrap">{describeParams(rule)}</td>
                    <td>{rule.severity}</td>
                    <td>{rule.schedule ?? <span className="muted">on import only</span>}</td>
                    <td>
                      <button
                        className="button small"
                        type="button"
                        onClick={() =>
                          act(() =>
                            clientGql(UPDATE_RULE, { id: rule.id, input: { enabled: !rule.enabled } }),
                          )
                        }
                      >
                        {rule.enabled ? "Disable" : "Enable"}
                      </button>{" "}
                      <button
                        className="button small danger"
                        type="button"
                        aria-label={`Delete rule ${rule.name}`}
                        onClick={() => {
                          if (window.confirm(`Delete rule "${rule.name}" and its results?`)) {
                            void act(() => clientGql(DELETE_RULE, { id: rule.id }));
                          }
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="empty">No rules yet.</p>
        )}
        <h3>Add a rule</h3>
        <RuleForm
          datasetId={dataset.id}
          datasets={datasets}
          columns={dataset.latestVersion?.columns.map((column) => column.name) ?? []}
          onCreated={reload}
        />
      </section>

      <section className="panel" aria-label="Latest results">
        <h2>
          Latest run
          {latest ? ` · v${latest.versionNumber} · ${latest.trigger} · ${formatTime(latest.finishedAt)}` : ""}
        </h2>
        {latest ? <ResultsTable results={latest.results} /> : <p className="empty">No finished run yet.</p>}
      </section>

      <section className="panel" aria-label="Run history">
        <h2>History ({answer.qualityRuns.totalCount} runs)</h2>
        <div className="table-wrap">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Version</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num">
                  Failed rules
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{formatTime(run.startedAt)}</td>
                  <td>v{run.versionNumber}</td>
                  <td>{run.trigger}</td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td className="num">{formatScore(run.score)}</td>
                  <td className="num">{run.results.filter((result) => !result.passed).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
