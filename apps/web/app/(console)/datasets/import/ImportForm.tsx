"use client";

import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { ProgressBar } from "@/components/ProgressBar";
import { clientGql } from "@/lib/client-gql";
import { enumValue } from "@/lib/enum-value";
import { graphql } from "@/lib/generated/gql";
import {
  ColumnRole,
  DatasetKind,
  ImportEncoding,
  ImportFormat,
  type ImportJobQuery,
  type ImportPreviewQuery,
} from "@/lib/generated/gql/graphql";
import { uploadFile } from "@/lib/upload-file";

// The console's own: what an import started (for the progress view) and one row of the role editor.
type TStarted = { datasetId: string; versionId: string; jobId: string };
type TRoleRow = { key: number; column: string; role: ColumnRole };

const IMPORT_MUTATION = graphql(`
  mutation ImportDataset($input: ImportDatasetInput!) {
    importDataset(input: $input) { dataset { id } version { id } job { id } }
  }
`);
const JOB_QUERY = graphql(`
  query ImportJob($id: ID!, $versionId: ID!) {
    job(id: $id) { id status progress message error }
    datasetVersion(id: $versionId) { id number status rowCount rejectedCount }
  }
`);

const PREVIEW_QUERY = graphql(`
  query ImportPreview($input: ImportPreviewInput!) {
    importPreview(input: $input) {
      columns { source name type role roleInferred roleInherited nullable }
      rows
      sampledRows
    }
  }
`);

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

type TPreview = ImportPreviewQuery["importPreview"];

/** "col=type, col2=type2" into pairs; says which pair is malformed. */
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

/** The role rows as the API wants them; says which row is incomplete or repeats a role. */
export const rolesInput = (rows: TRoleRow[]) => {
  const seen = new Map<ColumnRole, number>();
  return rows.map((row, index) => {
    const column = row.column.trim();
    if (column === "") throw new Error(`roles: row ${index + 1} (${row.role}) names no column`);
    const earlier = seen.get(row.role);
    if (earlier !== undefined) {
      throw new Error(
        `roles: ${row.role} is given twice (rows ${earlier + 1} and ${index + 1}); a role binds one column`,
      );
    }
    seen.set(row.role, index);
    return { column, role: row.role };
  });
};

export function ImportForm() {
  const [phase, setPhase] = useState<"idle" | "uploading" | "loading">("idle");
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<TStarted | null>(null);
  const [state, setState] = useState<ImportJobQuery | null>(null);
  const [roleRows, setRoleRows] = useState<TRoleRow[]>([]);
  const [nextKey, setNextKey] = useState(0);
  const [files, setFiles] = useState<File[]>([]);
  // Files already uploaded for a preview, reused by the import (keyed by the chosen files).
  const [uploaded, setUploaded] = useState<{ files: File[]; ids: string[] } | null>(null);
  const [preview, setPreview] = useState<TPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);

  useEffect(() => {
    if (!started) return;
    let stop = false;
    const poll = async () => {
      while (!stop) {
        try {
          const answer = await clientGql(JOB_QUERY, { id: started.jobId, versionId: started.versionId });
          if (stop) return;
          setState(answer);
          if (!answer.job || TERMINAL.has(answer.job.status)) {
            setPhase("idle");
            return;
          }
        } catch (caught) {
          setError(caught instanceof Error ? caught.message : String(caught));
          setPhase("idle");
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

  const addRole = () => {
    const unused = Object.values(ColumnRole).find((role) => !roleRows.some((row) => row.role === role));
    setRoleRows([...roleRows, { key: nextKey, column: "", role: unused ?? ColumnRole.ItemId }]);
    setNextKey(nextKey + 1);
  };
  const updateRole = (key: number, change: Partial<TRoleRow>) =>
    setRoleRows(roleRows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const uploadChosen = async (): Promise<string[]> => {
    if (files.length === 0) throw new Error("files: choose at least one file");
    const empty = files.find((file) => file.size === 0);
    if (empty) throw new Error(`files: ${empty.name} is empty`);
    if (uploaded && uploaded.files === files) return uploaded.ids;
    const ids: string[] = [];
    for (const file of files) ids.push(await uploadFile(file));
    setUploaded({ files, ids });
    return ids;
  };

  const readingOptions = (form: FormData) => {
    const delimiter = String(form.get("delimiter") ?? "");
    return {
      format: enumValue(ImportFormat, String(form.get("format"))),
      encoding: enumValue(ImportEncoding, String(form.get("encoding"))),
      delimiter: delimiter === "" ? undefined : delimiter === "\\t" ? "\t" : delimiter,
      types: parsePairs(String(form.get("types") ?? ""), "types").map(([column, type]) => ({ column, type })),
    };
  };

  /** Uploads the files and shows the columns with the types and roles the import would take. */
  const onPreview = async (form: HTMLFormElement) => {
    setError(null);
    setPreviewing(true);
    try {
      const data = new FormData(form);
      const uploadIds = await uploadChosen();
      const answer = await clientGql(PREVIEW_QUERY, {
        input: {
          uploadIds,
          name: String(data.get("name") ?? "").trim() || undefined,
          roles: rolesInput(roleRows),
          first: 5,
          ...readingOptions(data),
        },
      });
      setPreview(answer.importPreview);
      // The preview's roles become the import's: the steward corrects them in the table.
      const rows = answer.importPreview.columns.flatMap((column, index) =>
        column.role ? [{ key: nextKey + index, column: column.source, role: column.role }] : [],
      );
      setRoleRows(rows);
      setNextKey(nextKey + answer.importPreview.columns.length);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setPreviewing(false);
    }
  };

  /** Sets (or clears) the role of a previewed column; a role moves from the column that had it. */
  const setColumnRole = (column: string, role: ColumnRole | null) => {
    const others = roleRows.filter((row) => row.column !== column && row.role !== role);
    setRoleRows(role ? [...others, { key: nextKey, column, role }] : others);
    setNextKey(nextKey + 1);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setState(null);
    setStarted(null);
    const form = new FormData(event.currentTarget);
    try {
      if (files.length === 0) throw new Error("files: choose at least one file");
      const empty = files.find((file) => file.size === 0);
      if (empty) throw new Error(`files: ${empty.name} is empty`);
      const kind = enumValue(DatasetKind, String(form.get("kind")));
      if (!kind) throw new Error(`kind: "${String(form.get("kind"))}" is not a dataset kind`);
      const roles = rolesInput(roleRows);
      const reading = readingOptions(form);
      setPhase("uploading");
      const uploadIds = await uploadChosen();
      setPhase("loading");
      const result = await clientGql(IMPORT_MUTATION, {
        input: {
          name: String(form.get("name") ?? "").trim(),
          kind,
          description: String(form.get("description") ?? "") || undefined,
          uploadIds,
          roles,
          ...reading,
        },
      });
      const { dataset, version, job: created } = result.importDataset;
      setStarted({ datasetId: dataset.id, versionId: version.id, jobId: created.id });
    } catch (caught) {
      setPhase("idle");
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const job = state?.job ?? null;
  const version = state?.datasetVersion ?? null;
  return (
    <div className="card">
      <form onSubmit={onSubmit} className="form-grid" aria-label="Import">
        <label>
          Files
          <input
            type="file"
            name="files"
            multiple
            required
            accept=".csv,.tsv,.txt,.gz,.jsonl,.ndjson"
            onChange={(event) => {
              setFiles([...(event.target.files ?? [])]);
              setPreview(null);
            }}
          />
        </label>
        <label>
          Dataset name
          <input name="name" required pattern="[A-Za-z][A-Za-z0-9_.\-]{0,99}" placeholder="shop_events" />
        </label>
        <label>
          Kind
          <select name="kind" defaultValue={DatasetKind.Events}>
            {Object.values(DatasetKind).map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select name="format" defaultValue={ImportFormat.Csv}>
            <option value={ImportFormat.Csv}>CSV</option>
            <option value={ImportFormat.Jsonl}>JSON Lines</option>
          </select>
        </label>
        <label>
          Delimiter (CSV)
          <input name="delimiter" maxLength={2} placeholder="," />
        </label>
        <label>
          Encoding
          <select name="encoding" defaultValue={ImportEncoding.Utf8}>
            <option value={ImportEncoding.Utf8}>UTF-8</option>
            <option value={ImportEncoding.Latin1}>Latin-1</option>
          </select>
        </label>
        <fieldset className="role-rows" data-testid="import-roles">
          <legend>Column roles</legend>
          {roleRows.length === 0 ? (
            <p className="muted">None given: the API infers roles from the column names and values.</p>
          ) : null}
          {roleRows.map((row, index) => (
            <div className="role-row" key={row.key} data-testid="import-role-row">
              <input
                aria-label={`Column of role row ${index + 1}`}
                value={row.column}
                placeholder="column name"
                onChange={(event) => updateRole(row.key, { column: event.target.value })}
              />
              <select
                aria-label={`Role of row ${index + 1}`}
                value={row.role}
                onChange={(event) => {
                  const role = enumValue(ColumnRole, event.target.value);
                  if (role) updateRole(row.key, { role });
                }}
              >
                {Object.values(ColumnRole).map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button"
                aria-label={`Remove role row ${index + 1}`}
                onClick={() => setRoleRows(roleRows.filter((other) => other.key !== row.key))}
              >
                ×
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={addRole}>
            Add a column role
          </button>
        </fieldset>
        <label>
          Type overrides (column=type, ...)
          <input name="types" placeholder="price=decimal" />
        </label>
        <label>
          Description
          <input name="description" />
        </label>
        <div className="toolbar">
          <button
            type="button"
            className="button"
            disabled={phase !== "idle" || previewing}
            onClick={(event) => {
              const form = event.currentTarget.form;
              if (form) void onPreview(form);
            }}
          >
            {previewing ? "Reading..." : "Preview"}
          </button>
          <button type="submit" disabled={phase !== "idle"}>
            {phase === "uploading" ? "Uploading..." : phase === "loading" ? "Importing..." : "Import"}
          </button>
        </div>
      </form>
      {preview ? <PreviewTable preview={preview} roleRows={roleRows} onRole={setColumnRole} /> : null}
      {error ? (
        <p className="error-text" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {started ? (
        <div data-testid="import-progress">
          <ProgressBar value={job?.progress ?? 0} label="Import progress" />
          <ImportOutcome job={job} version={version} />
          {job?.status === "COMPLETED" ? (
            <p>
              <Link href={`/datasets/${started.datasetId}`} data-testid="import-dataset-link">
                Open the dataset
              </Link>
              {version && version.rejectedCount > 0 ? (
                <>
                  {" · "}
                  <Link href={`/datasets/${started.datasetId}/versions/${started.versionId}#rejected-rows`}>
                    See the rejected rows
                  </Link>
                </>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** What the import did, in counts once it is over; the job's message while it runs. */
function ImportOutcome({
  job,
  version,
}: {
  job: ImportJobQuery["job"];
  version: ImportJobQuery["datasetVersion"];
}) {
  if (!job) return <p className="muted">Queued</p>;
  if (job.status === "COMPLETED" && version) {
    return (
      <p data-testid="import-result">
        Version {version.number} is {version.status}:{" "}
        <strong data-testid="import-rows-loaded">{version.rowCount.toLocaleString("en-US")}</strong> rows
        loaded,{" "}
        <strong data-testid="import-rows-rejected">{version.rejectedCount.toLocaleString("en-US")}</strong>{" "}
        rejected.
      </p>
    );
  }
  if (job.status === "FAILED" || job.status === "CANCELLED") {
    return (
      <p className="error-text" role="alert" data-testid="import-result">
        The import {job.status === "FAILED" ? "failed" : "was cancelled"}
        {job.error ? `: ${job.error}` : "."}
      </p>
    );
  }
  return (
    <p className="muted">
      {job.status === "QUEUED" ? "Waiting for a worker" : (job.message ?? "Loading")} (
      {Math.round(job.progress)}%)
    </p>
  );
}

/**
 * The first rows as the import would read them, with each column's type and role. A role select sets
 * the import's role map; "none" leaves the column to the import's own inference.
 */
function PreviewTable({
  preview,
  roleRows,
  onRole,
}: {
  preview: TPreview;
  roleRows: TRoleRow[];
  onRole: (column: string, role: ColumnRole | null) => void;
}) {
  const roleOf = (column: string) => roleRows.find((row) => row.column === column)?.role ?? "";
  return (
    <div className="table-wrap" data-testid="import-preview">
      <p className="muted">
        Types and roles as the import reads them from the first {preview.sampledRows.toLocaleString("en-US")}{" "}
        rows. Correct a role here before importing; roles can also be edited after the import.
      </p>
      <table className="table compact">
        <thead>
          <tr>
            {preview.columns.map((column) => (
              <th key={column.source} data-testid={`preview-column-${column.source}`}>
                <div className="mono">{column.source}</div>
                <div className="muted">{column.type}</div>
                <select
                  aria-label={`Role of ${column.source}`}
                  value={roleOf(column.source)}
                  onChange={(event) =>
                    onRole(column.source, enumValue(ColumnRole, event.target.value) ?? null)
                  }
                >
                  <option value="">none</option>
                  {Object.values(ColumnRole).map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
                <div className="muted">
                  {column.roleInherited ? "kept from the dataset" : column.roleInferred ? "inferred" : ""}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no id; their order is fixed
            <tr key={index}>
              {row.map((cell, column) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <td key={column}>{cell ?? <span className="muted">empty</span>}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
