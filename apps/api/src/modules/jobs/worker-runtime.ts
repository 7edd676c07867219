import { type Job as BullJob, UnrecoverableError, WaitingError, Worker } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import type { TAnyJobHandler, THandlerContext, TReadyHook, TWorkerRegistry } from "./job-definition.ts";
import {
  findJobById,
  findJobCancelRequested,
  markJobCompleted,
  markJobFinal,
  markJobQueued,
  markJobRunning,
  setJobProgress,
} from "./jobs.repository.ts";
import { startFollowUp } from "./jobs.service.ts";
import { QUEUES, type TQueueName } from "./queue-names.ts";

type TEnvelope = { jobRecordId: string; payload: unknown };

class JobCancelledError extends Error {}
class WorkerStoppingError extends Error {}

const PROGRESS_WRITE_INTERVAL_MS = 500;

export type TWorkerOptions = { lockDurationMs?: number; stalledIntervalMs?: number };

/**
 * Runs the handlers of `registry` on the given queues and mirrors every state change into the `Job`
 * table; a handler's `ctx.versionReady` runs the registry's READY hooks in order. Returns a stop function for graceful shutdown: running jobs either finish or, at their next
 * checkpoint, are moved back to the waiting list for another worker.
 */
export const startWorkers = (
  deps: TDeps,
  registry: TWorkerRegistry,
  queueNames: TQueueName[],
  options: TWorkerOptions = {},
): { workers: Worker[]; stop: (graceMs?: number) => Promise<void> } => {
  let stopping = false;
  const byName = new Map(
    registry.handlers.map((handler) => [`${handler.definition.queue}/${handler.definition.name}`, handler]),
  );

  const process = async (bullJob: BullJob<TEnvelope>, token?: string) => {
    const handler = byName.get(`${bullJob.queueName}/${bullJob.name}`);
    if (!handler) throw new UnrecoverableError(`No handler for ${bullJob.queueName}/${bullJob.name}`);
    const { jobRecordId } = bullJob.data;
    const { definition } = handler;
    const parsed = definition.payload.safeParse(bullJob.data.payload);
    if (!parsed.success) {
      await markFinal(deps, jobRecordId, "FAILED", `Invalid payload: ${parsed.error.message}`);
      throw new UnrecoverableError(`Invalid payload for ${definition.name}: ${parsed.error.message}`);
    }
    const record = await findJobById(deps.db, jobRecordId);
    if (!record || record.status === "CANCELLED" || record.status === "COMPLETED") {
      return { skipped: true };
    }
    // attemptsStarted counts every move to active, including restarts after a stall.
    const attempt = Math.max(1, bullJob.attemptsStarted);
    await markJobRunning(deps.db, jobRecordId, record.startedAt ?? new Date());

    let lastWrite = 0;
    const ctx: THandlerContext = {
      jobRecordId,
      attempt,
      progress: async (percent, message) => {
        const clamped = Math.max(0, Math.min(100, percent));
        await bullJob.updateProgress(clamped);
        const now = Date.now();
        if (now - lastWrite >= PROGRESS_WRITE_INTERVAL_MS || clamped >= 100) {
          lastWrite = now;
          await setJobProgress(deps.db, jobRecordId, clamped, message);
        }
      },
      checkpoint: async () => {
        if (stopping) throw new WorkerStoppingError("worker is shutting down");
        if (await findJobCancelRequested(deps.db, jobRecordId))
          throw new JobCancelledError("cancelled by a user");
      },
      versionReady: (versionId) => runReadyHooks(deps, registry.readyHooks, versionId),
    };

    try {
      const outcome = await handler.handle(parsed.data, ctx, deps);
      await markJobCompleted(deps.db, jobRecordId, {
        result: (outcome.result ?? {}) as object,
        outputIds: outcome.outputIds ?? [],
      });
      return outcome.result ?? {};
    } catch (error) {
      if (error instanceof WorkerStoppingError) {
        // Hand the job back untouched: the handler stopped at a checkpoint, another worker restarts it.
        await markJobQueued(deps.db, jobRecordId, { message: "Returned to queue" });
        await bullJob.moveToWait(token);
        throw new WaitingError();
      }
      if (error instanceof JobCancelledError) {
        await handler.onGiveUp?.(parsed.data, deps);
        await markFinal(deps, jobRecordId, "CANCELLED", "Cancelled by a user");
        throw new UnrecoverableError("cancelled");
      }
      const message = error instanceof Error ? error.message : String(error);
      const lastAttempt =
        error instanceof UnrecoverableError || bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
      if (lastAttempt) {
        await handler.onGiveUp?.(parsed.data, deps);
        await markFinal(deps, jobRecordId, "FAILED", message);
      } else {
        await markJobQueued(deps.db, jobRecordId, { error: message });
      }
      logger.warn("job attempt failed", {
        queue: bullJob.queueName,
        name: bullJob.name,
        attempt,
        error: message,
      });
      throw error;
    }
  };

  // BullMQ leaves a connection it is given open when the worker closes (it counts it as shared), so
  // each worker gets one of its own, ended in `stop` once the worker is closed.
  const connections = queueNames.map(() => deps.redis.duplicate());
  const workers = queueNames.map(
    (queueName, i) =>
      new Worker<TEnvelope>(queueName, process, {
        connection: connections[i]!,
        prefix: deps.env.DAM_QUEUE_PREFIX,
        concurrency: QUEUES[queueName].concurrency,
        // A SIGKILLed worker stops renewing its lock; after lockDuration the stalled-job check of any
        // other worker moves the job back to waiting, and it is run again from the start (idempotent).
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      }),
  );
  // A rerun asked while a run was going (jobs.service.ts askFollowUp) starts once BullMQ has the run
  // finished: completed, or failed for good (a failed attempt with attempts left is retried instead).
  const followUp = (bullJob: BullJob<TEnvelope> | undefined) => {
    const handler = bullJob ? byName.get(`${bullJob.queueName}/${bullJob.name}`) : undefined;
    if (!bullJob?.id || !handler) return;
    startFollowUp(deps, handler.definition, bullJob.id).catch((error: Error) =>
      logger.error("follow-up run could not start", {
        queue: bullJob.queueName,
        id: bullJob.id,
        error: error.message,
      }),
    );
  };
  for (const worker of workers) {
    worker.on("error", (error) => logger.error("worker error", { error: error.message }));
    worker.on("completed", (bullJob) => followUp(bullJob));
    // finishedOn is set only when the job failed for good, not when an attempt is to be retried.
    worker.on("failed", (bullJob) => {
      if (bullJob?.finishedOn) followUp(bullJob);
    });
  }

  const stop = async (graceMs = 25_000): Promise<void> => {
    stopping = true;
    const graceful = Promise.all(workers.map((worker) => worker.close()));
    const timeout = new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), graceMs).unref(),
    );
    if ((await Promise.race([graceful, timeout])) === "timeout") {
      logger.warn("grace period over; forcing workers closed (their jobs will be recovered as stalled)");
      await Promise.all(workers.map((worker) => worker.close(true)));
    }
    for (const connection of connections) connection.disconnect();
  };
  return { workers, stop };
};

const markFinal = (deps: TDeps, id: string, status: "FAILED" | "CANCELLED", message: string) =>
  markJobFinal(deps.db, id, status, message);

/** Runs the READY hooks of a version one after the other, in the order the registry lists them. */
export const runReadyHooks = async (deps: TDeps, hooks: TReadyHook[], versionId: string): Promise<void> => {
  for (const hook of hooks) await hook.run(deps, versionId);
};

/**
 * Undoes a job that no worker ever started (cancelled while still queued): the API process calls the
 * handler's `onGiveUp` itself, since no worker will.
 */
export const giveUpUnstartedJob = async (
  deps: TDeps,
  handlers: TAnyJobHandler[],
  job: { queue: string; name: string; input: unknown },
): Promise<void> => {
  const handler = handlers.find(
    (candidate) => candidate.definition.queue === job.queue && candidate.definition.name === job.name,
  );
  await handler?.onGiveUp?.(job.input, deps);
};
