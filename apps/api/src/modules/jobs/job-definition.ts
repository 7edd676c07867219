import type { z } from "zod";
import type { TDeps } from "../../deps.ts";
import type { TQueueName } from "./queue-names.ts";

export type TJobContext = {
  /** Id of the job's row in the `Job` table. */
  jobRecordId: string;
  /** 1 for the first attempt; a stalled job taken over by another worker gets the next number. */
  attempt: number;
  /** Reports progress (0..100) to BullMQ and the jobs table; cheap to call often (throttled). */
  progress: (percent: number, message?: string) => Promise<void>;
  /**
   * A safe point to stop: throws when a user cancelled the job or the worker is shutting down.
   * Handlers call it between batches, so stopping never leaves a half-written batch.
   */
  checkpoint: () => Promise<void>;
};

/** What a handler gets beyond what the run services it calls get. */
export type THandlerContext = TJobContext & {
  /**
   * Declares that `versionId` has just become READY (call it after the commit point): runs the READY
   * hooks the worker registered (worker-registry.ts), each of which queues a follow-up job of its area.
   */
  versionReady: (versionId: string) => Promise<void>;
};

export type TJobOutcome = { result?: Record<string, unknown>; outputIds?: string[] };

/**
 * What a service needs to enqueue a job, and nothing that runs it: services import definitions
 * (`*.jobs.ts`), only the worker's registry imports handlers (`*.job-handlers.ts`).
 */
export type TJobDefinition<TPayload> = {
  queue: TQueueName;
  name: string;
  payload: z.ZodType<TPayload>;
  attempts: number;
  backoffMs: number;
  /** Deterministic BullMQ job id: enqueuing the same work twice collapses into one job. */
  jobId: (payload: TPayload) => string;
  inputIds: (payload: TPayload) => string[];
};

export const defineJob = <TPayload>(definition: TJobDefinition<TPayload>): TJobDefinition<TPayload> =>
  definition;

/** How the worker runs a job of `definition`. */
export type TJobHandler<TPayload> = {
  definition: TJobDefinition<TPayload>;
  /** Must be idempotent: a stalled job is run again from the start by another worker. */
  handle: (payload: TPayload, ctx: THandlerContext, deps: TDeps) => Promise<TJobOutcome>;
  /** Called once when the job fails for good or is cancelled: undo partial work. */
  onGiveUp?: (payload: TPayload, deps: TDeps) => Promise<void>;
};

export const handleJob = <TPayload>(
  definition: TJobDefinition<TPayload>,
  handler: Omit<TJobHandler<TPayload>, "definition">,
): TJobHandler<TPayload> => ({ definition, ...handler });

// Erases the payload type for the registry; the runtime validates the payload with its schema first.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous registry of handlers
export type TAnyJobHandler = TJobHandler<any>;

/**
 * Follow-up work when a dataset version becomes READY (after an import, a cleaning run, an export...):
 * an area declares it here instead of the job that made the version importing that area. Each hook
 * queues idempotent jobs with deterministic ids, so a re-run of the job that made the version queues
 * nothing twice.
 */
export type TReadyHook = { name: string; run: (deps: TDeps, versionId: string) => Promise<unknown> };

/** What a worker process runs: the handler of every job, and the READY hooks in the order they run. */
export type TWorkerRegistry = { handlers: TAnyJobHandler[]; readyHooks: TReadyHook[] };
