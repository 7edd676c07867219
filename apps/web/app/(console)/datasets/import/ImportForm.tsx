"use client";

import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { ProgressBar } from "@/components/ProgressBar";
import { clientGql } from "@/lib/client-gql";
import { DATASET_KINDS } from "@/lib/types";
import { uploadFile } from "@/lib/upload-file";

type TJob = { id: string; status: string; progress: number; message: string | null; error: string | null };
type TStarted = { datasetId: string; versionId: string; jobId: string };

const IMPORT_MUTATION = /* GraphQL */ `
  mutation ImportDataset($input: ImportDatasetInput!) {
    importDataset(input: $input) { dataset { id } version { id } job { id } }
  }
`;
const JOB_QUERY = /* GraphQL */ `
  query ImportJob($id: ID!) { job(id: $id) { id status progress message error } }
`;

/** "col=role, col2=role2" into pairs; says which pair is malformed. */
const parsePairs = (text: string, label: string) =>
  text
    .split(",")
    .map((pair) => pair.trim())
    .filter((pair) => pair !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0 || at === pair.length - 1) throw new Error(`${label}: "${pair}" is not column=value`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
    });

export function ImportForm() {
  const [phase, setPhase] = useState<"idle" | "uploading" | "loading">("idle");
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<TStarted | null>(null);
  const [job, setJob] = useState<TJob | null>(null);

  useEffect(() => {
    if (!started) return;
    let stop = false;
    const poll = async () => {
      while (!stop) {
        try {
          const { job: current } = await clientGql<{ job: TJob }>(JOB_QUERY, { id: started.jobId });
          setJob(current);
          if (["COMPLETED", "FAILED", "CANCELLED"].includes(current.status)) {
            setPhase("idle");
            return;
          }
        } catch (caught) {
          setError(caught instanceof Error ? caught.message : String(caught));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [started]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setJob(null);
    setStarted(null);
    const form = new FormData(event.currentTarget);
    const files = form
      .getAll("files")
      .filter((value): value is File => value instanceof File && value.size > 0);
    try {
      if (files.length === 0) throw new Error("files: choose at least one file");
      const roles = parsePairs(String(form.get("roles") ?? ""), "roles").map(([column, role]) => ({
        column,
        role,
      }));
      const types = parsePairs(String(form.get("types") ?? ""), "types").map(([column, type]) => ({
        column,
        type,
      }));
      setPhase("uploading");
      const uploadIds: string[] = [];
      for (const file of files) uploadIds.push(await uploadFile(file));
      setPhase("loading");
      const delimiter = String(form.get("delimiter") ?? "");
      const result = await clientGql<{
        importDataset: { dataset: { id: string }; version: { id: string }; job: { id: string } };
      }>(IMPORT_MUTATION, {
        input: {
          name: String(form.get("name") ?? "").trim(),
          kind: String(form.get("kind")),
          description: String(form.get("description") ?? "") || undefined,
          uploadIds,
          format: String(form.get("format")),
          encoding: String(form.get("encoding")),
          delimiter: delimiter === "" ? undefined : delimiter === "\\t" ? "\t" : delimiter,
          roles,
          types,
        },
      });
      const { dataset, version, job: created } = result.importDataset;
      setStarted({ datasetId: dataset.id, versionId: version.id, jobId: created.id });
    } catch (caught) {
      setPhase("idle");
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <div className="card">
      <form onSubmit={onSubmit} className="form-grid" aria-label="Import">
        <label>
          Files
          <input type="file" name="files" multiple required accept=".csv,.tsv,.txt,.gz,.jsonl,.ndjson" />
        </label>
        <label>
          Dataset name
          <input name="name" required pattern="[A-Za-z][A-Za-z0-9_.\-]{0,99}" placeholder="shop_events" />
        </label>
        <label>
          Kind
          <select name="kind" defaultValue="EVENTS">
            {DATASET_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select name="format" defaultValue="CSV">
            <option value="CSV">CSV</option>
            <option value="JSONL">JSON Lines</option>
          </select>
        </label>
        <label>
          Delimiter (CSV)
          <input name="delimiter" maxLength={2} placeholder="," />
        </label>
        <label>
          Encoding
          <select name="encoding" defaultValue="UTF8">
            <option value="UTF8">UTF-8</option>
            <option value="LATIN1">Latin-1</option>
          </select>
        </label>
        <label>
          Column roles (column=role, ...)
          <input name="roles" placeholder="item_id=itemId, user_id=userId, ts=timestamp" />
        </label>
        <label>
          Type overrides (column=type, ...)
          <input name="types" placeholder="price=decimal" />
        </label>
        <label>
          Description
          <input name="description" />
        </label>
        <div>
          <button type="submit" disabled={phase !== "idle"}>
            {phase === "uploading" ? "Uploading..." : phase === "loading" ? "Importing..." : "Import"}
          </button>
        </div>
      </form>
      {error ? (
        <p className="error-text" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {started ? (
        <div data-testid="import-progress">
          <ProgressBar value={job?.progress ?? 0} label="Import progress" />
          <p>
            {job ? `${job.status}: ${job.message ?? ""}` : "Queued"}
            {job?.error ? ` (${job.error})` : ""}
          </p>
          {job?.status === "COMPLETED" ? (
            <Link href={`/datasets/${started.datasetId}`} data-testid="import-dataset-link">
              Open the dataset
            </Link>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
