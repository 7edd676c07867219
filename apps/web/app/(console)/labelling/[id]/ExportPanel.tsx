"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import type { ExportGoldLabelsMutation } from "@/lib/generated/gql/graphql";
import { EXPORT_MUTATION, JOB_QUERY, type LabelExport } from "../queries";

type TJob = ExportGoldLabelsMutation["exportGoldLabels"];
const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED"];

/** Exports the gold labels as a LABELS dataset version and lists the versions made so far. */
export function ExportPanel({
  projectId,
  exportable,
  exports,
}: {
  projectId: string;
  exportable: number;
  exports: LabelExport[];
}) {
  const router = useRouter();
  const [job, setJob] = useState<TJob | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  async function start() {
    setError(null);
    try {
      const { exportGoldLabels } = await clientGql(EXPORT_MUTATION, {
        projectId,
      });
      let current = exportGoldLabels;
      setJob(current);
      while (!TERMINAL.includes(current.status)) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const polled = (await clientGql(JOB_QUERY, { id: current.id })).job;
        if (!polled) throw new Error(`Export job ${current.id} is no longer known to the API`);
        current = polled;
        setJob(current);
      }
      router.refresh();
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }

  const running = job !== null && !TERMINAL.includes(job.status);
  return (
    <div className="panel" data-testid="export-panel">
      <div className="toolbar">
        <button
          type="button"
          className="button primary"
          onClick={start}
          disabled={running || exportable === 0}
        >
          Export gold labels
        </button>
        <span className="muted" data-testid="exportable">
          {exportable} tasks have a gold label (adjudicated, or all labellers agree)
        </span>
      </div>
      {job ? (
        <div data-testid="export-job">
          <ProgressBar value={job.progress} label="Export progress" /> <StatusBadge status={job.status} />{" "}
          {job.error ?? job.message}
        </div>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
      {exports.length > 0 ? (
        <table className="table" data-testid="exports">
          <thead>
            <tr>
              <th>Dataset version</th>
              <th>Status</th>
              <th>Gold labels</th>
              <th>Made</th>
              <th>Download</th>
            </tr>
          </thead>
          <tbody>
            {exports.map((item) => (
              <tr key={item.version.id} data-testid="export-row">
                <td>
                  <Link href={`/datasets/${item.datasetId}`}>
                    {item.datasetName} v{item.version.number}
                  </Link>{" "}
                  · <Link href={`/lineage?id=${item.version.id}&direction=UPSTREAM`}>lineage</Link>
                </td>
                <td>
                  <StatusBadge status={item.version.status} />
                </td>
                <td>{item.version.rowCount}</td>
                <td>{formatTime(item.version.createdAt)}</td>
                <td>
                  {item.version.status === "READY" ? (
                    <>
                      <a href={`/api/versions/${item.version.id}/labels?format=jsonl`}>JSONL</a> ·{" "}
                      <a href={`/api/versions/${item.version.id}/labels?format=csv`}>CSV</a>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="empty muted">Nothing exported yet.</p>
      )}
    </div>
  );
}
