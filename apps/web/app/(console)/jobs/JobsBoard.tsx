"use client";

import { Fragment, useCallback, useEffect, useRef, useState } from "react";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { formatCount, formatDuration, formatTime } from "@/lib/format";
import { type JobFieldsFragment as Job, JobStatus } from "@/lib/generated/gql/graphql";
import { CANCEL_JOB_MUTATION, JOBS_PAGE_SIZE, JOBS_QUERY } from "./queries";

const POLL_MS = 1000;
const COLUMN_COUNT = 11;

/** Inputs, then what the job wrote: "shop_events v2 → als v4". */
function JobSubjects({ subjects }: { subjects: Job["subjects"] }) {
  const inputs = subjects.filter((subject) => subject.role === "INPUT");
  const outputs = subjects.filter(
    (subject) => subject.role === "OUTPUT" && !inputs.some((input) => input.id === subject.id),
  );
  if (subjects.length === 0) return <span className="muted">—</span>;
  const names = (list: Job["subjects"]) =>
    list.map((subject, index) => (
      <span key={`${subject.role}-${subject.id}`} title={`${subject.kind ?? "unknown"} ${subject.id}`}>
        {index > 0 ? ", " : ""}
        {subject.name}
      </span>
    ));
  // Ids nothing names (a quality run, a job's own record) are counted, not printed as uuids.
  const named = (list: Job["subjects"]) => list.filter((subject) => subject.kind !== null);
  const unnamed = subjects.filter((subject) => subject.kind === null);
  return (
    <span className="job-subjects">
      {names(named(inputs))}
      {named(outputs).length > 0 ? <span className="muted"> → </span> : null}
      {names(named(outputs))}
      {unnamed.length > 0 ? (
        <span className="muted" title={unnamed.map((subject) => subject.id).join("\n")}>
          {named(subjects).length > 0 ? " " : ""}+{unnamed.length} unnamed
        </span>
      ) : null}
    </span>
  );
}

interface Props {
  initialStatus: JobStatus | null;
  initialJobs: Job[] | null;
  initialTotal: number | null;
  initialError: ApiErrorInfo | null;
}

function progressTone(status: JobStatus): string | undefined {
  if (status === "FAILED") return "danger";
  if (status === "CANCELLED") return "muted";
  if (status === "COMPLETED") return "success";
  return undefined;
}

export function JobsBoard({ initialStatus, initialJobs, initialTotal, initialError }: Props) {
  const [status, setStatus] = useState<JobStatus | null>(initialStatus);
  const [jobs, setJobs] = useState<Job[] | null>(initialJobs);
  const [total, setTotal] = useState<number | null>(initialTotal);
  const [error, setError] = useState<ApiErrorInfo | null>(initialError);
  const [actionError, setActionError] = useState<ApiErrorInfo | null>(null);
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());
  const [now, setNow] = useState<number | null>(null);
  const statusRef = useRef<JobStatus | null>(initialStatus);
  // Poll at once when there is nothing to show yet (no server-rendered list, or the filter changed).
  const immediateRef = useRef(initialJobs === null);

  const load = useCallback(async (wanted: JobStatus | null) => {
    try {
      const data = await clientGql(JOBS_QUERY, { first: JOBS_PAGE_SIZE, status: wanted });
      if (statusRef.current !== wanted) return; // filter changed meanwhile
      setJobs(data.jobs.edges.map((e) => e.node));
      setTotal(data.jobs.totalCount);
      setError(null);
    } catch (e) {
      if (statusRef.current === wanted) setError(toErrorInfo(e));
    } finally {
      setNow(Date.now());
    }
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await load(status);
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, immediateRef.current ? 0 : POLL_MS);
    immediateRef.current = false;
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [status, load]);

  function changeStatus(value: string) {
    const next = (Object.values(JobStatus) as string[]).includes(value) ? (value as JobStatus) : null;
    statusRef.current = next;
    immediateRef.current = true;
    setStatus(next);
    setJobs(null);
    setTotal(null);
    const url = next ? `/jobs?status=${next}` : "/jobs";
    window.history.replaceState(null, "", url);
  }

  async function cancel(job: Job) {
    setActionError(null);
    setCancelling((s) => new Set(s).add(job.id));
    try {
      const data = await clientGql(CANCEL_JOB_MUTATION, { id: job.id });
      setJobs((list) => list?.map((j) => (j.id === job.id ? data.cancelJob : j)) ?? list);
    } catch (e) {
      setActionError(toErrorInfo(e));
    } finally {
      setCancelling((s) => {
        const copy = new Set(s);
        copy.delete(job.id);
        return copy;
      });
    }
  }

  function duration(job: Job): string {
    if (job.durationSeconds !== null) return formatDuration(job.durationSeconds);
    if (job.status === "RUNNING" && job.startedAt && now !== null) {
      return `${formatDuration(Math.max(0, (now - Date.parse(job.startedAt)) / 1000))} so far`;
    }
    return "—";
  }

  function waited(job: Job): string {
    const end = job.startedAt ? Date.parse(job.startedAt) : job.status === "QUEUED" ? now : null;
    if (end === null) return "—";
    return formatDuration(Math.max(0, (end - Date.parse(job.createdAt)) / 1000));
  }

  return (
    <>
      <div className="toolbar">
        <label htmlFor="job-status" className="toolbar-label">
          Status
        </label>
        <select id="job-status" value={status ?? ""} onChange={(e) => changeStatus(e.target.value)}>
          <option value="">All statuses</option>
          {Object.values(JobStatus).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {total !== null ? (
          <span className="muted">
            {formatCount(total)} job{total === 1 ? "" : "s"}
            {total > JOBS_PAGE_SIZE ? ` (showing the newest ${JOBS_PAGE_SIZE})` : ""}
          </span>
        ) : null}
      </div>

      {error ? (
        <div className="error-box" role="alert">
          <span className="code">{error.code}</span> {error.message}
          {jobs ? <span className="muted"> Showing the last known state.</span> : null}
        </div>
      ) : null}
      {actionError ? (
        <div className="error-box" role="alert">
          Cancel failed: <span className="code">{actionError.code}</span>{" "}
          {actionError.code === "FORBIDDEN" ? "You need the STEWARD or ADMIN role. " : ""}
          {actionError.message}
        </div>
      ) : null}

      {jobs === null ? (
        error ? null : (
          <p className="empty">Loading jobs…</p>
        )
      ) : jobs.length === 0 ? (
        <p className="empty">{status ? `No ${status} jobs.` : "No jobs yet."}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="jobs-table">
            <thead>
              <tr>
                <th>Queue</th>
                <th>Name</th>
                <th>Worked on</th>
                <th>Status</th>
                <th className="progress-col">Progress</th>
                <th>Message</th>
                <th className="num">Attempts</th>
                <th>Created</th>
                <th>Waited</th>
                <th>Duration</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <Fragment key={job.id}>
                  <tr
                    data-testid="job-row"
                    data-status={job.status}
                    className={job.error ? "has-error" : undefined}
                  >
                    <td>
                      <span className="tag">{job.queue}</span>
                    </td>
                    <td className="mono" title={job.id}>
                      {job.name}
                    </td>
                    <td data-testid="job-subjects">
                      <JobSubjects subjects={job.subjects} />
                    </td>
                    <td>
                      <StatusBadge status={job.status} />
                    </td>
                    <td>
                      <ProgressBar
                        value={job.progress}
                        label={`Progress of ${job.name}`}
                        tone={progressTone(job.status)}
                      />
                    </td>
                    <td className="wrap">{job.message ?? <span className="muted">—</span>}</td>
                    <td className="num">{job.attempts}</td>
                    <td className="nowrap">{formatTime(job.createdAt)}</td>
                    <td className="nowrap">{waited(job)}</td>
                    <td className="nowrap">{duration(job)}</td>
                    <td>
                      {job.status === "QUEUED" || job.status === "RUNNING" ? (
                        <button
                          type="button"
                          className="button small danger"
                          onClick={() => cancel(job)}
                          disabled={cancelling.has(job.id)}
                        >
                          {cancelling.has(job.id) ? "Cancelling…" : "Cancel"}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                  {job.error ? (
                    // The error gets the table's whole width on a row of its own, so it reads as text.
                    <tr className="job-error-row" data-testid="job-error">
                      <td colSpan={COLUMN_COUNT}>
                        <span className="code">error</span> {job.error}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
