"use client";

import { useCallback, useEffect, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import {
  choicesOf,
  type Draft,
  draftValue,
  emptyDraft,
  formatValue,
  pressKey,
  visibleFields,
} from "../../answers";
import {
  ADJUDICATE_MUTATION,
  DISAGREEMENTS_QUERY,
  type LabellerProgress,
  type LabelSchema,
  payloadOf,
  type ReviewTask,
} from "../../queries";
import { LabellerTable } from "../LabellerTable";

/** The console's own: the disagreements answer, read (tasks with their payloads as objects). */
type TReview = { totalCount: number; tasks: ReviewTask[]; labellerProgress: LabellerProgress[] };

/** One disagreement: the labels side by side and the reviewer's gold answer. */
function ReviewItem({
  task,
  schema,
  onDecided,
}: {
  task: ReviewTask;
  schema: LabelSchema;
  onDecided: (taskId: string, gold: unknown) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(schema, task.payload));
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(answer: Draft) {
    const value = draftValue(schema, answer);
    if (value === null) {
      setError({ code: "INCOMPLETE", message: "Choose the gold answer first." });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { adjudicate } = await clientGql(ADJUDICATE_MUTATION, {
        taskId: task.id,
        value,
      });
      onDecided(task.id, adjudicate.goldValue);
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  }

  // Choice schemas decide with one click; corrections and text need their value typed first.
  const direct = draft.kind === "choice";
  return (
    <div className="review-task" data-testid="review-task" data-task-id={task.id}>
      <dl className="task-fields">
        {visibleFields(task.payload).map(([key, value]) => (
          <div key={key} className={`task-field task-field-${key}`}>
            <dt>{key}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="review-labels" data-testid="review-labels">
        {task.labels.map((label) => (
          <span key={label.id}>
            <span className="muted">{label.labeller.name}:</span>{" "}
            <strong>{formatValue(schema, label.value)}</strong>
          </span>
        ))}
        {task.goldValue !== null && task.goldValue !== undefined ? (
          <span data-testid="gold-value">
            <span className="muted">gold:</span> <strong>{formatValue(schema, task.goldValue)}</strong>
          </span>
        ) : null}
      </div>
      <div className="answers">
        {choicesOf(schema).map((choice) => (
          <button
            key={choice.value}
            type="button"
            className="answer"
            disabled={busy}
            data-testid={`adjudicate-${choice.key}`}
            onClick={() => {
              const next = pressKey(schema, draft, choice.key) ?? draft;
              setDraft(next);
              if (direct) void decide(next);
            }}
          >
            <kbd>{choice.key}</kbd> {choice.label}
          </button>
        ))}
      </div>
      {!direct ? (
        <div className="toolbar">
          {draft.kind === "correction" && draft.accepted === false ? (
            <input
              type="text"
              value={draft.value}
              onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            />
          ) : null}
          {draft.kind === "text" ? (
            <input
              type="text"
              value={draft.value}
              onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            />
          ) : null}
          <button type="button" className="button primary" disabled={busy} onClick={() => void decide(draft)}>
            Set gold label
          </button>
        </div>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}

/** Disagreements first; each adjudication becomes the task's gold label and leaves the list. */
export function ReviewBoard({
  projectId,
  schema,
  overlap,
  tasks,
}: {
  projectId: string;
  schema: LabelSchema;
  overlap: number;
  tasks: number;
}) {
  const [data, setData] = useState<TReview | null>(null);
  const [includeAdjudicated, setIncludeAdjudicated] = useState(false);
  const [error, setError] = useState<ApiErrorInfo | null>(null);

  const load = useCallback(async () => {
    try {
      const answer = await clientGql(DISAGREEMENTS_QUERY, { id: projectId, includeAdjudicated });
      setData({
        totalCount: answer.labelDisagreements.totalCount,
        tasks: answer.labelDisagreements.edges.map(({ node }) => ({
          ...node,
          payload: payloadOf(node.payload),
        })),
        labellerProgress: answer.labellerProgress,
      });
      setError(null);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }, [projectId, includeAdjudicated]);

  useEffect(() => {
    void load();
  }, [load]);

  const onDecided = useCallback(() => {
    void load();
  }, [load]);

  const open = data?.tasks ?? [];
  return (
    <>
      {error ? <ErrorBox error={error} /> : null}
      <div className="panel">
        <div className="toolbar">
          <strong data-testid="disagreement-count">
            {data
              ? `${data.totalCount} disagreements${includeAdjudicated ? "" : " to adjudicate"}`
              : "Loading…"}
          </strong>
          <label>
            <input
              type="checkbox"
              checked={includeAdjudicated}
              onChange={(event) => setIncludeAdjudicated(event.target.checked)}
            />{" "}
            include adjudicated
          </label>
        </div>
        {data && open.length === 0 ? (
          <p className="empty" data-testid="no-disagreements">
            No disagreement is waiting for a decision.
          </p>
        ) : null}
        {open.map((task) => (
          <ReviewItem
            key={`${task.id}-${JSON.stringify(task.goldValue)}`}
            task={task}
            schema={schema}
            onDecided={onDecided}
          />
        ))}
      </div>
      <h2>Labeller accuracy against gold</h2>
      {data ? <LabellerTable rows={data.labellerProgress} overlap={overlap} tasks={tasks} /> : null}
    </>
  );
}
