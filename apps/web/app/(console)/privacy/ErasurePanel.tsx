"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import { ERASE, type ErasureReport, type ErasureRequest } from "./queries";

const COUNTS: [keyof ErasureReport, string][] = [
  ["totalRows", "Version rows"],
  ["linkedUserIds", "User ids found by email"],
  ["liveEvents", "Live events"],
  ["historyKeys", "Serving histories"],
  ["searchLogs", "Logged searches"],
  ["exposures", "Experiment exposures"],
  ["experimentEvents", "Experiment events"],
  ["rejectedRows", "Rejected rows"],
  ["qualitySamples", "Quality samples emptied"],
  ["labelTasks", "Label tasks"],
  ["platformUsers", "Accounts anonymised"],
  ["profileSets", "Profile sets"],
  ["profileRows", "Profile rows"],
  ["segmentSets", "Segment sets"],
  ["uploads", "Uploads rewritten"],
  ["uploadLines", "Upload lines"],
];

function Report({ report }: { report: ErasureReport }) {
  return (
    <div className="erasure-report" data-testid="erasure-report">
      <dl className="stats-grid">
        {COUNTS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`report-${key}`}>{String(report[key])}</dd>
          </div>
        ))}
        <div>
          <dt>Models marked STALE</dt>
          <dd data-testid="report-modelsMarkedStale">{report.modelsMarkedStale.length}</dd>
        </div>
      </dl>
      {report.versions.length > 0 ? (
        <table className="table compact">
          <thead>
            <tr>
              <th>Version</th>
              <th className="num">Rows removed</th>
            </tr>
          </thead>
          <tbody>
            {report.versions.map((v) => (
              <tr key={v.versionId}>
                <td>{v.label}</td>
                <td className="num">{v.rows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No version held this person.</p>
      )}
    </div>
  );
}

/** The erasure form and the requests with their status and report (admins only: pii:erase). */
export function ErasurePanel({ requests }: { requests: ErasureRequest[] }) {
  const router = useRouter();
  const [identifier, setIdentifier] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = identifier.trim();
    if (
      !window.confirm(`Erase ${value} from every dataset, event, artifact and upload? This cannot be undone.`)
    )
      return;
    setPending(true);
    setError(null);
    try {
      await clientGql(ERASE, { input: { identifier: value } });
      setIdentifier("");
      setOpen(null);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <form className="toolbar" onSubmit={onSubmit} aria-label="Erase a person">
        <input
          type="text"
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          placeholder="User id or email"
          aria-label="User id or email"
          required
          maxLength={320}
        />
        <button type="submit" className="button danger" disabled={pending || identifier.trim() === ""}>
          {pending ? "Requesting…" : "Erase everywhere"}
        </button>
        <button type="button" className="button small" onClick={() => router.refresh()}>
          Refresh
        </button>
      </form>
      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
      {requests.length === 0 ? (
        <p className="empty">No erasure requests yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="erasure-requests">
            <thead>
              <tr>
                <th>Asked</th>
                <th>Subject</th>
                <th>Status</th>
                <th className="num">Rows removed</th>
                <th>Finished</th>
                <th aria-label="Report" />
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} data-testid={`erasure-${r.id}`}>
                  <td className="nowrap">{formatTime(r.createdAt)}</td>
                  <td>
                    <span className="tag">{r.identifierKind === "EMAIL" ? "email" : "user id"}</span>{" "}
                    <span className="mono">{r.identifierHint}</span>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />{" "}
                    {r.status === "RUNNING" && r.job ? (
                      <span className="muted">
                        {Math.round(r.job.progress)}% {r.job.message ?? ""}
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{r.report ? r.report.totalRows : "–"}</td>
                  <td className="nowrap">{formatTime(r.finishedAt)}</td>
                  <td>
                    {r.report ? (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setOpen(open === r.id ? null : r.id)}
                      >
                        {open === r.id ? "Hide report" : "Report"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {requests
        .filter((r) => r.id === open && r.report)
        .map((r) => (
          <div key={r.id} className="subpanel">
            <h3>
              Report for <span className="mono">{r.identifierHint}</span>
            </h3>
            <Report report={r.report as ErasureReport} />
          </div>
        ))}
    </>
  );
}
