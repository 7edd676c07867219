import type { JobStatus } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import {
  inAuditedTransaction,
  recordAudit,
  type TAuditEntry,
  type TAuditWriter,
} from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import type { TJobDefinition } from "./job-definition.ts";
import {
  findJobByBullId,
  findJobById,
  findJobCancellationByName,
  findJobsPage,
  insertJob,
  resetJobToQueued,
  updateJobCancellation,
} from "./jobs.repository.ts";
import { isQueueName } from "./queue-names.ts";

const TERMINAL: JobStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

/** How long a follow-up asked for a running job waits for that run to end (a lost worker's job is retried long before). */
const FOLLOW_UP_TTL_SECONDS = 7 * 24 * 3600;

/** Redis key holding the payload of one more run asked for while the job was running. */
export const followUpKey = (prefix: string, queue: string, bullId: string): string =>
  `${prefix}:job-follow-up:${queue}:${bullId}`;

/**
 * Takes the follow-up of a job (at most one caller gets it: GETDEL) and, if there was one, runs the job
 * again. Called by the worker once the run ended, and by enqueueJob when the run ended meanwhile.
 */
export const startFollowUp = async <TPayload>(
  deps: TDeps,
  definition: TJobDefinition<TPayload>,
  bullId: string,
): Promise<boolean> => {
  const raw = await deps.redis.getdel(followUpKey(deps.env.DAM_QUEUE_PREFIX, definition.queue, bullId));
  if (raw === null) return false;
  await enqueueJob(deps, definition, JSON.parse(raw) as TPayload, { rerun: true });
  return true;
};

/**
 * A rerun asked while the same job runs: that run may have read what the caller just changed before
 * the change, so one more run is due after it (several such asks make one). The worker starts it when
 * the run ends (worker-runtime.ts); if the run ended meanwhile, it is started here.
 */
const askFollowUp = async <TPayload>(
  deps: TDeps,
  definition: TJobDefinition<TPayload>,
  payload: TPayload,
  bullId: string,
): Promise<void> => {
  const key = followUpKey(deps.env.DAM_QUEUE_PREFIX, definition.queue, bullId);
  await deps.redis.set(key, JSON.stringify(payload), "EX", FOLLOW_UP_TTL_SECONDS);
  // The worker takes the follow-up after BullMQ marked the run finished; if that already happened,
  // nobody else will, and the job can be added again.
  const state = await deps.queues[definition.queue].getJobState(bullId);
  if (state === "completed" || state === "failed" || state === "unknown") {
    await startFollowUp(deps, definition, bullId);
  }
};

/**
 * Enqueues a job: the row in `Job` is upserted on (queue, bullId) and the BullMQ job carries the same
 * deterministic id, so asking twice for the same work yields one job. A finished job with the same id
 * is re-run only when `rerun` is set (e.g. a scheduled quality check); with `rerun`, a job that is
 * running gets one more run after it (askFollowUp), since it may have read the state too early.
 */
export const enqueueJob = async <TPayload>(
  deps: TDeps,
  definition: TJobDefinition<TPayload>,
  payload: TPayload,
  // `audit` and `alsoWrite` (the rows the job will fill, e.g. a BUILDING set) are written in the same
  // transaction as the Job row: the action, its job and its audit entry commit together or not at all.
  // The BullMQ job is added after the commit (a worker must find the rows).
  options: {
    actor?: TPrincipal | null;
    rerun?: boolean;
    audit?: TAuditEntry;
    alsoWrite?: (tx: TTransaction) => Promise<unknown>;
  } = {},
) => {
  const parsed = definition.payload.parse(payload);
  const bullId = definition.jobId(parsed);
  const { audit } = options;
  const writeAudit = (db: TAuditWriter) =>
    audit
      ? recordAudit(db, options.actor ?? null, audit.action, audit.targetType, audit.targetId, audit.details)
      : Promise.resolve();
  const existing = await findJobByBullId(deps.db, definition.queue, bullId);
  if (existing && !(options.rerun && TERMINAL.includes(existing.status))) {
    if (audit || options.alsoWrite) {
      await inAuditedTransaction(deps.db, async (tx) => {
        await options.alsoWrite?.(tx);
        await writeAudit(tx);
      });
    }
    // A queued run has not read anything yet; a running one may have read too early.
    if (options.rerun && existing.status === "RUNNING") await askFollowUp(deps, definition, parsed, bullId);
    return existing;
  }

  const record = await inAuditedTransaction(deps.db, async (tx) => {
    await options.alsoWrite?.(tx);
    const written = await writeJobRecord(tx, definition, parsed, bullId, existing, options.actor);
    await writeAudit(tx);
    return written;
  });
  const queue = deps.queues[definition.queue];
  if (existing) await queue.remove(bullId).catch(() => 0);
  await queue.add(
    definition.name,
    { jobRecordId: record.id, payload: parsed },
    {
      jobId: bullId,
      attempts: definition.attempts,
      backoff: { type: "exponential", delay: definition.backoffMs },
      removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  );
  return record;
};

type TTransaction = Parameters<Parameters<TDeps["db"]["$transaction"]>[0]>[0];
type TJobWriter = Pick<TDeps["db"], "job">;

const writeJobRecord = <TPayload>(
  db: TJobWriter,
  definition: TJobDefinition<TPayload>,
  parsed: TPayload,
  bullId: string,
  existing: { id: string } | null,
  actor: TPrincipal | null | undefined,
) =>
  existing
    ? resetJobToQueued(db, existing.id)
    : insertJob(db, {
        queue: definition.queue,
        name: definition.name,
        bullId,
        input: parsed as object,
        inputIds: definition.inputIds(parsed),
        createdById: actor?.userId ?? null,
      });

export const findJobs = async (
  deps: TDeps,
  args: { first: number; after?: string | null; status?: JobStatus | null; queue?: string | null },
) => {
  return findJobsPage(deps.db, { status: args.status, queue: args.queue }, args);
};

export const findJob = (deps: TDeps, id: string) => findJobById(deps.db, id);

/** The Job row of `definition`'s job for this payload, found by its deterministic id. */
export const findJobOf = <TPayload>(deps: TDeps, definition: TJobDefinition<TPayload>, payload: TPayload) =>
  findJobByBullId(deps.db, definition.queue, definition.jobId(payload));

/**
 * Whether the job of `definition` with this payload was cancelled (by a user, or before it started), for
 * an `onGiveUp` that tells a cancellation from a failure.
 */
export const wasJobCancelled = async <TPayload>(
  deps: TDeps,
  definition: TJobDefinition<TPayload>,
  payload: TPayload,
): Promise<boolean> => {
  const job = await findJobCancellationByName(deps.db, definition.name, definition.jobId(payload));
  return job?.cancelRequested === true || job?.status === "CANCELLED";
};

/** Undoes a job no worker started; the caller brings it from the worker's registry (see jobs.resolvers). */
export type TUndoUnstartedJob = (job: { queue: string; name: string; input: unknown }) => Promise<void>;

/**
 * A queued job is removed from its queue at once and undone by `undoUnstarted`; a running one is
 * flagged and stops at its next checkpoint (the worker then undoes its partial output and marks it
 * CANCELLED).
 */
export const cancelJob = async (
  deps: TDeps,
  actor: TPrincipal,
  id: string,
  undoUnstarted: TUndoUnstartedJob,
) => {
  const job = await findJobById(deps.db, id);
  if (!job) throw new AppError("NOT_FOUND", `Job ${id} not found`);
  if (TERMINAL.includes(job.status)) {
    throw new AppError("CONFLICT", `Job ${id} is already ${job.status} and cannot be cancelled`);
  }
  if (!isQueueName(job.queue)) throw new AppError("CONFLICT", `Job ${id} is on unknown queue ${job.queue}`);
  const audited = (data: {
    status?: "CANCELLED";
    finishedAt?: Date;
    cancelRequested?: boolean;
    message: string;
  }) =>
    inAuditedTransaction(deps.db, async (tx) => {
      const updated = await updateJobCancellation(tx, id, data);
      await recordAudit(tx, actor, "job.cancel", "Job", id, { queue: job.queue, name: job.name });
      return updated;
    });
  const removed = job.status === "QUEUED" ? await deps.queues[job.queue].remove(job.bullId) : 0;
  if (removed === 1) {
    await undoUnstarted(job);
    return audited({ status: "CANCELLED", finishedAt: new Date(), message: "Cancelled before it started" });
  }
  return audited({ cancelRequested: true, message: "Cancelling..." });
};
