import type { z } from "zod";
import type { TDeps } from "../deps.ts";
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

export type TJobOutcome = { result?: Record<string, unknown>; outputIds?: string[] };

export type TJobDefinition<TPayload> = {
  queue: TQueueName;
  name: string;
  payload: z.ZodType<TPayload>;
  attempts: number;
  backoffMs: number;
  /** Deterministic BullMQ job id: enqueuing the same work twice collapses into one job. */
  jobId: (payload: TPayload) => string;
  inputIds: (payload: TPayload) => string[];
  /** Must be idempotent: a stalled job is run again from the start by another worker. */
  handle: (payload: TPayload, ctx: TJobContext, deps: TDeps) => Promise<TJobOutcome>;
  /** Called once when the job fails for good or is cancelled: undo partial work. */
  onGiveUp?: (payload: TPayload, deps: TDeps) => Promise<void>;
};

// Erases the payload type for the registry; handlers validate the payload with their own schema first.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous registry of definitions
export type TAnyJobDefinition = TJobDefinition<any>;

export const defineJob = <TPayload>(definition: TJobDefinition<TPayload>): TJobDefinition<TPayload> =>
  definition;
