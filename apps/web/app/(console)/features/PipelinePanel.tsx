"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { SelectField } from "@/components/SelectField";
import { StatusBadge } from "@/components/StatusBadge";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  type BuildJob,
  PIPELINE_PROGRESS,
  type PipelineProgressAnswer,
  START_PIPELINE,
  type VersionOption,
} from "./queries";

const POLL_MS = 1000;
const FINAL_JOB_STATUSES = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

const versionOptions = (versions: VersionOption[]) =>
  versions.map((o) => ({ value: o.versionId, label: `${o.datasetName} v${o.number}` }));

/** The console's own: the ids a started pipeline is followed by. */
type Started = { embedJobId: string; segmentSetId: string };

const prefer = (options: VersionOption[], name: string) =>
  (options.find((o) => o.datasetName === name) ?? options[0])?.versionId ?? "";

/** The pipeline's stages in run order: where each one's job is in the progress answer. */
const PIPELINE_STAGES: {
  label: string;
  waiting: string;
  jobOf: (progress: PipelineProgressAnswer) => BuildJob | null;
}[] = [
  { label: "Embed", waiting: "queued", jobOf: (p) => p.job ?? null },
  {
    label: "Profile",
    waiting: "waits for the embeddings",
    jobOf: (p) => p.segmentSet?.profileSet.job ?? null,
  },
  { label: "Segment", waiting: "waits for the profiles", jobOf: (p) => p.segmentSet?.job ?? null },
];

function StageRow({ label, job, waiting }: { label: string; job: BuildJob | null; waiting: string }) {
  return (
    <tr data-testid={`stage-${label.toLowerCase()}`}>
      <td>{label}</td>
      <td>{job ? <StatusBadge status={job.status} /> : <span className="muted">{waiting}</span>}</td>
      <td className="progress-col">
        <ProgressBar value={job?.progress ?? 0} label={`${label} progress`} />
      </td>
      <td className="muted">{job?.error ?? job?.message ?? ""}</td>
    </tr>
  );
}

export function PipelinePanel({ catalogs, events }: { catalogs: VersionOption[]; events: VersionOption[] }) {
  const [catalogId, setCatalogId] = useState(prefer(catalogs, "demo_products"));
  const [eventsId, setEventsId] = useState(prefer(events, "demo_events"));
  const [kMin, setKMin] = useState(3);
  const [kMax, setKMax] = useState(8);
  const [started, setStarted] = useState<Started | null>(null);
  const [progress, setProgress] = useState<PipelineProgressAnswer | null>(null);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const setStatus = progress?.segmentSet?.status ?? null;
  const segmentJob = progress?.segmentSet?.job ?? null;
  // The set turns READY inside its job, a moment before the worker records the job COMPLETED (and
  // its progress 100): polling stops only when both are final, or the last stage's bar could stay
  // at its last throttled value.
  const settled =
    (setStatus === "READY" || setStatus === "FAILED") &&
    (!segmentJob || FINAL_JOB_STATUSES.has(segmentJob.status));
  const running = started !== null && !settled;

  useEffect(() => {
    if (!started || !running) return undefined;
    const timer = setInterval(async () => {
      try {
        setProgress(
          await clientGql(PIPELINE_PROGRESS, {
            embedJob: started.embedJobId,
            set: started.segmentSetId,
          }),
        );
      } catch (e) {
        setError(toErrorInfo(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [started, running]);

  const start = async () => {
    setError(null);
    setProgress(null);
    try {
      const data = await clientGql(START_PIPELINE, {
        input: { catalogVersionId: catalogId, eventsVersionId: eventsId, segmentParams: { kMin, kMax } },
      });
      const embedJobId = data.runFeaturePipeline.embedJob?.id;
      if (!embedJobId) throw new Error("the pipeline did not queue an embedding job");
      setStarted({ embedJobId, segmentSetId: data.runFeaturePipeline.segmentSet.id });
    } catch (e) {
      setError(toErrorInfo(e));
    }
  };

  return (
    <section className="panel" aria-label="Feature pipeline">
      <h2>Feature pipeline</h2>
      {error ? <ErrorBox error={error} /> : null}
      {catalogs.length === 0 || events.length === 0 ? (
        <p className="empty">
          It needs a READY catalogue and a READY events version: <Link href="/datasets">import them</Link>.
        </p>
      ) : (
        <form
          className="form-grid"
          aria-label="Start the feature pipeline"
          onSubmit={(event) => {
            event.preventDefault();
            void start();
          }}
        >
          <SelectField
            label="Catalogue"
            value={catalogId}
            options={versionOptions(catalogs)}
            onChange={setCatalogId}
          />
          <SelectField
            label="Events"
            value={eventsId}
            options={versionOptions(events)}
            onChange={setEventsId}
          />
          <label>
            Fewest segments (k from)
            <input
              type="number"
              min={2}
              max={30}
              value={kMin}
              onChange={(e) => setKMin(Number(e.target.value))}
            />
          </label>
          <label>
            Most segments (k to)
            <input
              type="number"
              min={2}
              max={30}
              value={kMax}
              onChange={(e) => setKMax(Number(e.target.value))}
            />
          </label>
          <div>
            <button className="button primary" type="submit" disabled={running}>
              {running ? "Running..." : "Start pipeline"}
            </button>
          </div>
        </form>
      )}
      {started ? (
        <div className="table-wrap">
          <table className="table" aria-label="Pipeline progress">
            <thead>
              <tr>
                <th>Stage</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {PIPELINE_STAGES.map((stage) => (
                <StageRow
                  key={stage.label}
                  label={stage.label}
                  job={progress ? stage.jobOf(progress) : null}
                  waiting={stage.waiting}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {setStatus === "READY" && started ? (
        <p>
          <Link className="button" href={`/features?set=${started.segmentSetId}`} data-testid="open-explorer">
            Open the segment explorer
          </Link>
        </p>
      ) : null}
      {setStatus === "FAILED" ? (
        <p className="error-text">The segmentation failed; see the stage messages.</p>
      ) : null}
    </section>
  );
}
