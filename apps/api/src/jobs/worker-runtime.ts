import { type Job as BullJob, UnrecoverableError, WaitingError, Worker } from "bullmq";
import type { TDeps } from "../deps.ts";
import { logger } from "../logger.ts";
import type { TAnyJobDefinition, TJobContext } from "./job-definition.ts";
import { QUEUES, type TQueueName } from "./queue-names.ts";

type TEnvelope = { jobRecordId: string; payload: unknown };

class JobCancelledError extends Error {}
class WorkerStoppingError extends Error {}

const PROGRESS_WRITE_INTERVAL_MS = 500;

export type TWorkerOptions = { lockDurationMs?: number; stalledIntervalMs?: number };

/**
 * Runs the handlers of `definitions` on the given queues and mirrors every state change into the `Job`
 * table. Returns a stop function for graceful shutdown: running jobs either finish or, at their next
 * checkpoint, are moved back to the waiting list for another worker.
 */
export const startWorkers = (
  deps: TDeps,
  definitions: TAnyJobDefinition[],
  queueNames: TQueueName[],
  options: TWorkerOptions = {},
): { workers: Worker[]; stop: (graceMs?: number) => Promise<void> } => {
  let stopping = false;
  const byName = new Map(
    definitions.map((definition) => [`${definition.queue}/${definition.name}`, definition]),
  );

  const process = async (bullJob: BullJob<TEnvelope>, token?: string) => {
    const definition = byName.get(`${bullJob.queueName}/${bullJob.name}`);
    if (!definition) throw new UnrecoverableError(`No handler for ${bullJob.queueName}/${bullJob.name}`);
    const { jobRecordId } = bullJob.data;
    const parsed = definition.payload.safeParse(bullJob.data.payload);
    if (!parsed.success) {
      await markFinal(deps, jobRecordId, "FAILED", `Invalid payload: ${parsed.error.message}`);
      throw new UnrecoverableError(`Invalid payload for ${definition.name}: ${parsed.error.message}`);
    }
    const record = await deps.db.job.findUnique({ where: { id: jobRecordId } });
    if (!record || record.status === "CANCELLED" || record.status === "COMPLETED") {
      return { skipped: true };
    }
    // attemptsStarted counts every move to active, including restarts after a stall.
    const attempt = Math.max(1, bullJob.attemptsStarted);
    await deps.db.job.update({
      where: { id: jobRecordId },
      data: {
        status: "RUNNING",
        attempts: { increment: 1 },
        startedAt: record.startedAt ?? new Date(),
        error: null,
      },
    });

    let lastWrite = 0;
    const ctx: TJobContext = {
      jobRecordId,
      attempt,
      progress: async (percent, message) => {
        const clamped = Math.max(0, Math.min(100, percent));
        await bullJob.updateProgress(clamped);
        const now = Date.now();
        if (now - lastWrite >= PROGRESS_WRITE_INTERVAL_MS || clamped >= 100) {
          lastWrite = now;
          await deps.db.job.update({
            where: { id: jobRecordId },
            data: { progress: clamped, ...(message ? { message } : {}) },
          });
        }
      },
      checkpoint: async () => {
        if (stopping) throw new WorkerStoppingError("worker is shutting down");
        const current = await deps.db.job.findUnique({
          where: { id: jobRecordId },
          select: { cancelRequested: true },
        });
        if (current?.cancelRequested) throw new JobCancelledError("cancelled by a user");
      },
    };

    try {
      const outcome = await definition.handle(parsed.data, ctx, deps);
      await deps.db.job.update({
        where: { id: jobRecordId },
        data: {
          status: "COMPLETED",
          progress: 100,
          finishedAt: new Date(),
          result: (outcome.result ?? {}) as object,
          outputIds: outcome.outputIds ?? [],
          message: "Done",
        },
      });
      return outcome.result ?? {};
    } catch (error) {
      if (error instanceof WorkerStoppingError) {
        // Hand the job back untouched: the handler stopped at a checkpoint, another worker restarts it.
        await deps.db.job.update({
          where: { id: jobRecordId },
          data: { status: "QUEUED", message: "Returned to queue" },
        });
        await bullJob.moveToWait(token);
        throw new WaitingError();
      }
      if (error instanceof JobCancelledError) {
        await definition.onGiveUp?.(parsed.data, deps);
        await markFinal(deps, jobRecordId, "CANCELLED", "Cancelled by a user");
        throw new UnrecoverableError("cancelled");
      }
      const message = error instanceof Error ? error.message : String(error);
      const lastAttempt =
        error instanceof UnrecoverableError || bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
      if (lastAttempt) {
        await definition.onGiveUp?.(parsed.data, deps);
        await markFinal(deps, jobRecordId, "FAILED", message);
      } else {
        await deps.db.job.update({ where: { id: jobRecordId }, data: { status: "QUEUED", error: message } });
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

  const workers = queueNames.map(
    (queueName) =>
      new Worker<TEnvelope>(queueName, process, {
        connection: deps.redis.duplicate(),
        prefix: deps.env.DAM_QUEUE_PREFIX,
        concurrency: QUEUES[queueName].concurrency,
        // A SIGKILLed worker stops renewing its lock; after lockDuration the stalled-job check of any
        // other worker moves the job back to waiting, and it is run again from the start (idempotent).
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      }),
  );
  for (const worker of workers) {
    worker.on("error", (error) => logger.error("worker error", { error: error.message }));
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
  };
  return { workers, stop };
};

const markFinal = async (deps: TDeps, id: string, status: "FAILED" | "CANCELLED", message: string) => {
  await deps.db.job.update({
    where: { id },
    data: { status, finishedAt: new Date(), ...(status === "FAILED" ? { error: message } : { message }) },
  });
};
