"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorBox } from "@/components/ErrorBox";
import { ProgressBar } from "@/components/ProgressBar";
import { clientGql } from "@/lib/client-gql";
import { type ApiErrorInfo, toErrorInfo } from "@/lib/errors";
import { choicesOf, type Draft, draftValue, emptyDraft, pressKey, visibleFields } from "../../answers";
import {
  type Assignment,
  assignmentOf,
  type LabellerProgress,
  MY_PROGRESS_QUERY,
  NEXT_TASK_MUTATION,
  type ProjectProgress,
  SKIP_MUTATION,
  SUBMIT_MUTATION,
  UNDO_MUTATION,
} from "../../queries";

// Labels per minute over the last five minutes (or since the session started, if that is shorter,
// but at least half a minute so the first label does not read as 120 a minute).
const RATE_WINDOW_MS = 5 * 60_000;
const MIN_RATE_WINDOW_MS = 30_000;

const KEYS: [string, string][] = [
  ["0-9", "choose an answer (the number shown beside it)"],
  ["Enter", "submit the answer"],
  ["S", "skip the task"],
  ["U", "undo your last answer"],
  ["?", "show or hide these keys"],
  ["Esc", "leave a text field / close this help"],
];

/** The console's own: where the workbench is. */
type Phase = "loading" | "ready" | "empty";

// Keys pressed while the next task is still on its way are kept and replayed on it, in order, so
// answers typed as fast as keys repeat are all stored; past this many the key is refused visibly.
const MAX_KEYS_AHEAD = 24;

export function Workbench({ projectId, projectName }: { projectId: string; projectName: string }) {
  // The task on screen and the one fetched ahead; refs, because key handlers and the action chain
  // must see the latest values, not those of the render they were created in.
  const current = useRef<Assignment | null>(null);
  const ahead = useRef<Assignment | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  // Assignments answered or skipped on screen whose mutation is still queued: still leased to us, so
  // the API would hand them back as ours if they were not listed as held.
  const pending = useRef<Set<string>>(new Set());
  const [shown, setShown] = useState<Assignment | null>(null);
  const [phase, setPhase] = useState<Phase>("loading");
  const [draft, setDraftState] = useState<Draft | null>(null);
  // Mirrors `draft` for key handlers: a digit and Enter pressed in quick succession must see each other.
  const draftRef = useRef<Draft | null>(null);
  const setDraft = useCallback((next: Draft | null) => {
    draftRef.current = next;
    setDraftState(next);
  }, []);
  const [error, setError] = useState<ApiErrorInfo | null>(null);
  const [help, setHelp] = useState(false);
  const [submitted, setSubmitted] = useState<number[]>([]);
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const [mine, setMine] = useState<LabellerProgress | null>(null);
  const [project, setProject] = useState<ProjectProgress | null>(null);
  const textRef = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  // Answer keys (digits, Enter, S) pressed while no task was on screen, replayed when one arrives.
  const keysAhead = useRef<string[]>([]);
  const [keysWaiting, setKeysWaiting] = useState(0);
  const phaseRef = useRef<Phase>("loading");
  // Set below, once the key handlers exist; `fill` replays buffered keys through it.
  const replay = useRef<() => void>(() => {});

  const show = useCallback(
    (assignment: Assignment | null, phaseIfNone: Phase) => {
      current.current = assignment;
      setShown(assignment);
      setDraft(assignment ? emptyDraft(assignment.schema, assignment.task.payload) : null);
      const phase = assignment ? "ready" : phaseIfNone;
      phaseRef.current = phase;
      setPhase(phase);
    },
    [setDraft],
  );

  const next = useCallback(
    async (holding: string[]) => {
      const { nextLabelTask } = await clientGql(NEXT_TASK_MUTATION, { projectId, holding });
      return nextLabelTask ? assignmentOf(nextLabelTask) : null;
    },
    [projectId],
  );

  const refreshProgress = useCallback(async () => {
    try {
      const data = await clientGql(MY_PROGRESS_QUERY, { id: projectId });
      setMine(data.myLabelProgress);
      setProject(data.labelProject?.progress ?? null);
    } catch (e) {
      setError(toErrorInfo(e));
    }
  }, [projectId]);

  /** Makes sure a task is on screen and the next one is leased ahead, so a submit shows it at once. */
  const fill = useCallback(async () => {
    if (!current.current) {
      const held = ahead.current;
      ahead.current = null;
      show(held ?? (await next([...pending.current])), "empty");
      replay.current();
    }
    if (current.current && !ahead.current) {
      const fetched = await next([current.current.id, ...pending.current]);
      // The API resumes any other live lease of ours first; never show one task twice.
      ahead.current = fetched && fetched.id !== current.current?.id ? fetched : null;
    }
  }, [next, show]);

  const enqueue = useCallback(
    (work: () => Promise<void>) => {
      chain.current = chain.current
        .then(work)
        .catch((e: unknown) => setError(toErrorInfo(e)))
        .then(() => refreshProgress());
    },
    [refreshProgress],
  );

  useEffect(() => {
    enqueue(fill);
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [enqueue, fill]);

  /** Takes the task off screen at once (showing the one fetched ahead), then runs `action` on it. */
  const advance = useCallback(
    (action: (done: Assignment) => Promise<void>) => {
      const done = current.current;
      if (!done) return;
      setError(null);
      const following = ahead.current;
      ahead.current = null;
      show(following, "loading");
      // The old lease must be settled before asking for more, or the API would hand it back as ours.
      pending.current.add(done.id);
      enqueue(async () => {
        try {
          await action(done);
        } finally {
          pending.current.delete(done.id);
          // Even when the action failed (e.g. the lease expired), keep a task on screen.
          await fill();
        }
      });
    },
    [enqueue, fill, show],
  );

  const submit = useCallback(() => {
    const assignment = current.current;
    const answer = draftRef.current;
    if (!assignment || !answer) return;
    const value = draftValue(assignment.schema, answer);
    if (value === null) {
      setError({ code: "INCOMPLETE", message: "Choose an answer first (press its number)." });
      return;
    }
    advance(async (done) => {
      await clientGql(SUBMIT_MUTATION, { id: done.id, value });
      setSubmitted((times) => [...times, Date.now()]);
    });
  }, [advance]);

  const skip = useCallback(() => {
    advance(async (done) => {
      await clientGql(SKIP_MUTATION, { id: done.id });
    });
  }, [advance]);

  const undo = useCallback(() => {
    setError(null);
    enqueue(async () => {
      const { undoLastLabel } = await clientGql(UNDO_MUTATION, { projectId });
      if (!undoLastLabel) {
        setError({ code: "NOTHING_TO_UNDO", message: "You have no answer in this project to undo." });
        return;
      }
      // The task on screen stays leased to us; it comes back right after the undone one.
      if (current.current && current.current.id !== undoLastLabel.id) ahead.current = current.current;
      show(assignmentOf(undoLastLabel), "ready");
      setSubmitted((times) => times.slice(0, -1));
    });
  }, [enqueue, projectId, show]);

  /** One answer key (digit, Enter, S) on the task on screen; kept for the next task while none is. */
  const answerKey = useCallback(
    (key: string) => {
      const assignment = current.current;
      if (!assignment) {
        if (phaseRef.current === "empty") {
          setError({ code: "QUEUE_EMPTY", message: `Key ${key} was not recorded: your queue is empty.` });
        } else if (keysAhead.current.length >= MAX_KEYS_AHEAD) {
          setError({
            code: "TOO_FAST",
            message: `Key ${key} was not recorded: ${MAX_KEYS_AHEAD} keys are already waiting for the next task.`,
          });
        } else {
          keysAhead.current.push(key);
          setKeysWaiting(keysAhead.current.length);
        }
        return;
      }
      if (key === "Enter") return submit();
      if (key === "s") return skip();
      const before = draftRef.current;
      const after = before ? pressKey(assignment.schema, before, key) : null;
      if (after) setDraft(after);
      if (
        (after?.kind === "correction" && after.accepted === false) ||
        assignment.schema.type === "FREE_TEXT"
      ) {
        setTimeout(() => textRef.current?.focus(), 0);
      }
    },
    [setDraft, skip, submit],
  );

  replay.current = () => {
    // Replays in order until a key (Enter or S) takes the task away again; the rest wait for the next.
    while (current.current && keysAhead.current.length > 0) {
      const key = keysAhead.current.shift() as string;
      answerKey(key);
    }
    if (!current.current && phaseRef.current === "empty" && keysAhead.current.length > 0) {
      const lost = keysAhead.current.length;
      keysAhead.current = [];
      setError({
        code: "QUEUE_EMPTY",
        message: `${lost} key${lost === 1 ? " was" : "s were"} not recorded: your queue is empty.`,
      });
    }
    setKeysWaiting(keysAhead.current.length);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target?.tagName === "INPUT" || target?.tagName === "TEXTAREA";
      if (event.key === "Escape") {
        setHelp(false);
        if (typing) target?.blur();
        return;
      }
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        answerKey("Enter");
        return;
      }
      if (typing) return;
      if (event.key === "?") {
        setHelp((open) => !open);
        return;
      }
      const key = event.key.toLowerCase();
      if (key === "u") return undo();
      if (key === "s" || /^[0-9]$/.test(key)) answerKey(key);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [answerKey, undo]);

  const windowMs = Math.min(RATE_WINDOW_MS, Math.max(MIN_RATE_WINDOW_MS, now - startedAt));
  const recent = submitted.filter((time) => now - time <= windowMs).length;
  const perMinute = submitted.length === 0 ? null : (recent * 60_000) / windowMs;
  const schema = shown?.schema;
  const choices = schema ? choicesOf(schema) : [];

  return (
    <div className="workbench" data-testid="workbench">
      <div className="cards">
        <div className="card">
          <div className="card-label">Labels per minute</div>
          <div className="card-value" data-testid="labels-per-minute">
            {perMinute === null ? "—" : perMinute.toFixed(1)}
          </div>
        </div>
        <div className="card">
          <div className="card-label">My labels in this project</div>
          <div className="card-value" data-testid="my-labels">
            {mine?.labels ?? "…"}
          </div>
          <div className="muted">{mine ? `${mine.skipped} skipped` : null}</div>
        </div>
        <div className="card card-wide">
          <div className="card-label">Project progress (labels of all slots)</div>
          {project ? (
            <ProgressBar
              value={project.slots === 0 ? 0 : (100 * project.labels) / project.slots}
              label={`${projectName} progress`}
            />
          ) : null}
          <div className="muted">
            {project
              ? `${project.labels} of ${project.slots} labels · ${project.completeTasks} of ${project.tasks} tasks complete`
              : null}
          </div>
        </div>
      </div>

      {error ? <ErrorBox error={error} /> : null}

      {phase === "empty" ? (
        <div className="panel" data-testid="queue-empty">
          <strong>Your queue is empty.</strong> Every task of {projectName} has its labellers or your answer.{" "}
          <Link href="/labelling">Back to the projects</Link> · press U to undo your last answer.
        </div>
      ) : null}
      {phase === "loading" ? (
        <div className="panel muted" data-testid="task-loading">
          Loading the next task…
          {keysWaiting > 0 ? (
            <span data-testid="keys-waiting">
              {" "}
              {keysWaiting} key{keysWaiting === 1 ? "" : "s"} kept for it
            </span>
          ) : null}
        </div>
      ) : null}

      {shown && schema && draft ? (
        <div className="panel task-panel" data-testid="task" data-task-id={shown.task.id}>
          <div className="instructions" data-testid="instructions">
            <span className="card-label">Instructions · {schema.name}</span>
            <p>{schema.instructions || "No instructions were given for this schema."}</p>
          </div>
          <dl className="task-fields">
            {visibleFields(shown.task.payload).map(([key, value]) => (
              <div key={key} className={`task-field task-field-${key}`}>
                <dt>{key}</dt>
                <dd data-testid={`field-${key}`}>{value}</dd>
              </div>
            ))}
          </dl>
          <div className="answers" role="radiogroup" aria-label="Answers">
            {choices.map((choice) => {
              const selected =
                (draft.kind === "choice" && draft.value === choice.value) ||
                (draft.kind === "multi" && draft.values.includes(choice.value)) ||
                (draft.kind === "correction" &&
                  draft.accepted !== null &&
                  (draft.accepted ? "accept" : "fix") === choice.value);
              return (
                <button
                  type="button"
                  key={choice.value}
                  className={selected ? "answer selected" : "answer"}
                  aria-pressed={selected}
                  data-testid={`answer-${choice.key}`}
                  onClick={() => setDraft(pressKey(schema, draft, choice.key) ?? draft)}
                >
                  <kbd>{choice.key}</kbd> {choice.label}
                </button>
              );
            })}
          </div>
          {draft.kind === "correction" && draft.accepted === false ? (
            <label className="form-stack">
              Corrected value
              <input
                ref={(element) => {
                  textRef.current = element;
                }}
                type="text"
                value={draft.value}
                onChange={(event) => setDraft({ ...draft, value: event.target.value })}
              />
            </label>
          ) : null}
          {draft.kind === "text" ? (
            <label className="form-stack">
              Answer
              <textarea
                ref={(element) => {
                  textRef.current = element;
                }}
                rows={3}
                value={draft.value}
                onChange={(event) => setDraft({ ...draft, value: event.target.value })}
              />
            </label>
          ) : null}
          <div className="toolbar">
            <button type="button" className="button primary" onClick={submit}>
              Submit <kbd>Enter</kbd>
            </button>
            <button type="button" className="button" onClick={skip}>
              Skip <kbd>S</kbd>
            </button>
            <button type="button" className="button" onClick={undo}>
              Undo last <kbd>U</kbd>
            </button>
            <button type="button" className="button" onClick={() => setHelp((open) => !open)}>
              Keys <kbd>?</kbd>
            </button>
            <span className="muted">Lease until {new Date(shown.leaseExpiresAt).toLocaleTimeString()}</span>
          </div>
        </div>
      ) : null}

      {help ? (
        <div className="panel" role="dialog" aria-label="Keyboard shortcuts" data-testid="key-help">
          <strong>Keyboard</strong>
          <table className="table">
            <tbody>
              {KEYS.map(([key, what]) => (
                <tr key={key}>
                  <td>
                    <kbd>{key}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
