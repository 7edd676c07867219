import { randomUUID } from "node:crypto";
import type { TDeps } from "../../deps.ts";
import { cancelJobIfQueued, insertJob } from "./jobs.repository.ts";
import type { TQueueName } from "./queue-names.ts";

export type TRecurringJob = {
  queue: TQueueName;
  /** Job name the worker registry handles. */
  name: string;
  /** Deterministic BullMQ job scheduler id. */
  schedulerId: string;
  cron: string;
  payload: Record<string, unknown>;
  inputIds: string[];
  message: string;
};

/**
 * (Re)arms one BullMQ job scheduler. The worker runtime runs a job only with a `Job` record of its own,
 * and a scheduler repeats one template; so each armed template carries a fresh QUEUED record, and every
 * tick re-arms the scheduler with the next record (the override replaces BullMQ's already-planned next
 * job). The previous template's record, if it never ran, is closed.
 */
export const armRecurringJob = async (deps: TDeps, job: TRecurringJob): Promise<void> => {
  const queue = deps.queues[job.queue];
  const previous = await queue.getJobScheduler(job.schedulerId);
  const record = await insertJob(deps.db, {
    queue: job.queue,
    name: job.name,
    bullId: `${job.schedulerId}@${randomUUID()}`,
    input: job.payload,
    inputIds: job.inputIds,
    message: job.message,
  });
  await queue.upsertJobScheduler(
    job.schedulerId,
    { pattern: job.cron, tz: "UTC" },
    {
      name: job.name,
      data: { jobRecordId: record.id, payload: job.payload },
      opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    },
  );
  const previousRecordId = (previous?.template?.data as { jobRecordId?: string } | undefined)?.jobRecordId;
  if (previousRecordId) await retireScheduledPlaceholder(deps, previousRecordId);
};

/** A placeholder that never ran is closed, so the jobs list shows no phantom queued runs. */
export const retireScheduledPlaceholder = async (deps: TDeps, jobRecordId: string): Promise<void> => {
  await cancelJobIfQueued(deps.db, jobRecordId, "Schedule changed");
};
