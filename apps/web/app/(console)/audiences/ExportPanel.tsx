"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import type { AudienceRequest } from "./AudienceBuilder";
import { EXPORT_AUDIENCE, EXPORT_JOB_QUERY, type ExportJob, USERS_DATASET_QUERY } from "./queries";

const POLL_MS = 1000;
const FINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
// The API's rule for dataset names (audiences.service.ts), checked before the call.
const DATASET_NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/** Exports the ranked audience as the next version of a USERS dataset and links to that version. */
export function ExportPanel({ request, defaultName }: { request: AudienceRequest; defaultName: string }) {
  const [name, setName] = useState(defaultName);
  const [job, setJob] = useState<ExportJob | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const running = job !== null && !FINAL.has(job.status);

  useEffect(() => {
    if (!job || !running) return undefined;
    const timer = setInterval(async () => {
      try {
        const answer = await clientGql(EXPORT_JOB_QUERY, { id: job.id });
        if (!answer.job) throw new Error(`the export job ${job.id} is gone`);
        setJob(answer.job);
      } catch (e) {
        setError(toErrorInfo(e));
        setJob(null);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [job, running]);

  // Once the version is READY: find its dataset (by the name exported to) for the link.
  useEffect(() => {
    if (job?.status !== "COMPLETED" || link) return;
    const versionId = job.outputIds[0];
    void (async () => {
      try {
        const answer = await clientGql(USERS_DATASET_QUERY, { search: name });
        const dataset = answer.datasets.edges.find((edge) => edge.node.name === name)?.node;
        if (!dataset || !versionId) throw new Error(`the USERS dataset ${name} was not found`);
        setLink(`/datasets/${dataset.id}/versions/${versionId}`);
      } catch (e) {
        setError(toErrorInfo(e));
      }
    })();
  }, [job, link, name]);

  const start = async () => {
    if (!DATASET_NAME.test(name)) {
      setError({
        code: "BAD_USER_INPUT",
        message: "Dataset name: letters, digits, _ . - (1-100 characters), starting with a letter.",
      });
      return;
    }
    setBusy(true);
    setError(null);
    setLink(null);
    try {
      const answer = await clientGql(EXPORT_AUDIENCE, {
        input: {
          datasetName: name,
          forItems: request.mode === "items" ? request.input : null,
          lookalike: request.mode === "lookalike" ? request.input : null,
        },
      });
      setJob(answer.exportAudience);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Export the audience">
      <h2>Export</h2>
      <p className="muted">
        Ranks the audience again now and writes it as the next version of a USERS dataset (user_id, rank,
        score), with lineage from the {request.mode === "items" ? "model version" : "profile set"} that ranked
        it. A dataset that does not exist yet is created.
      </p>
      <form
        className="form-grid"
        aria-label="Export as a USERS dataset"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <label>
          USERS dataset name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </label>
        <div>
          <button className="button primary" type="submit" disabled={busy || running}>
            {running ? "Exporting..." : "Export as a USERS dataset version"}
          </button>
        </div>
      </form>
      {error ? <ErrorBox error={error} title="The export failed" /> : null}
      {job ? (
        <div className="table-wrap">
          <table className="table" aria-label="Export progress">
            <tbody>
              <tr>
                <td>audiences.export</td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td className="progress-col">
                  <ProgressBar value={job.progress} label="Export progress" />
                </td>
                <td className="muted">{job.error ?? job.message ?? ""}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
      {link ? (
        <p>
          <Link className="button" href={link} data-testid="export-link">
            Open the exported version of {name}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
