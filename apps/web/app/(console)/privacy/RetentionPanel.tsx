"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import { ENFORCE_RETENTION, type RetentionDataset, type RetentionRun, SET_RETENTION } from "./queries";

const days = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** Retention per dataset (days to keep raw uploads and superseded versions), and the runs that enforced it. */
export function RetentionPanel({ datasets, runs }: { datasets: RetentionDataset[]; runs: RetentionRun[] }) {
  const router = useRouter();
  const [drafts, setDrafts] = useState<Record<string, { uploads: string; superseded: string }>>({});
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const draftOf = (row: RetentionDataset) =>
    drafts[row.id] ?? {
      uploads: row.retentionPolicy?.uploadDays?.toString() ?? "",
      superseded: row.retentionPolicy?.supersededDays?.toString() ?? "",
    };

  async function save(row: RetentionDataset) {
    const draft = draftOf(row);
    setPending(row.id);
    setError(null);
    try {
      await clientGql(SET_RETENTION, {
        input: { datasetId: row.id, uploadDays: days(draft.uploads), supersededDays: days(draft.superseded) },
      });
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(null);
    }
  }

  async function enforce() {
    setPending("enforce");
    setError(null);
    try {
      await clientGql(ENFORCE_RETENTION);
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setPending(null);
    }
  }

  const last = runs[0];
  return (
    <>
      <p className="muted">
        Empty keeps forever. Superseded versions lose their table (status EXPIRED, lineage kept) unless a live
        model, embedding, image or profile set or an open label project depends on them. Enforced nightly at
        03:15 UTC.
      </p>
      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="table compact" data-testid="retention-table">
          <thead>
            <tr>
              <th>Dataset</th>
              <th>Keep raw uploads (days)</th>
              <th>Keep superseded versions (days)</th>
              <th aria-label="Save" />
            </tr>
          </thead>
          <tbody>
            {datasets.map((row) => {
              const draft = draftOf(row);
              return (
                <tr key={row.id}>
                  <td>{row.name}</td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      className="narrow"
                      aria-label={`Upload days for ${row.name}`}
                      value={draft.uploads}
                      onChange={(e) =>
                        setDrafts({ ...drafts, [row.id]: { ...draft, uploads: e.target.value } })
                      }
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      className="narrow"
                      aria-label={`Superseded days for ${row.name}`}
                      value={draft.superseded}
                      onChange={(e) =>
                        setDrafts({ ...drafts, [row.id]: { ...draft, superseded: e.target.value } })
                      }
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      disabled={pending !== null}
                      onClick={() => save(row)}
                    >
                      {pending === row.id ? "Saving…" : "Save"}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button type="button" className="button" disabled={pending !== null} onClick={enforce}>
          {pending === "enforce" ? "Queuing…" : "Enforce now"}
        </button>
        <span className="muted">
          {last
            ? `Last run ${formatTime(last.at)} (${last.trigger}): ${last.removed.length} removed, ${last.kept.length} kept`
            : "Not enforced yet."}
        </span>
      </div>
      {last && last.removed.length + last.kept.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact" data-testid="retention-run">
            <thead>
              <tr>
                <th>What</th>
                <th>Outcome</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...last.removed.map((i) => ({ ...i, outcome: "removed" })),
                ...last.kept.map((i) => ({ ...i, outcome: "kept" })),
              ].map((item) => (
                <tr key={`${item.outcome}-${item.id}`}>
                  <td>
                    {item.type} <span className="mono">{item.label}</span>
                  </td>
                  <td>{item.outcome}</td>
                  <td>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
