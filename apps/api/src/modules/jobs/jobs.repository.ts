import type { JobStatus, PrismaClient } from "@dam/db/client";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient;
/** The Prisma client or a transaction client (a job row written with the action that asked for it). */
type TJobWriter = Pick<TDb, "job">;

/** A new `Job` row, QUEUED by default. */
export type TJobInsert = {
  queue: string;
  name: string;
  bullId: string;
  input: object;
  inputIds: string[];
  message?: string;
  createdById?: string | null;
};

export const insertJob = (db: TJobWriter, job: TJobInsert) => db.job.create({ data: job });

export const findJobById = (db: TDb, id: string) => db.job.findUnique({ where: { id } });

export const findJobByBullId = (db: TDb, queue: string, bullId: string) =>
  db.job.findUnique({ where: { queue_bullId: { queue, bullId } } });

/** Whether the job run under this name and BullMQ id was cancelled or asked to be, with its status. */
export const findJobCancellationByName = (db: TDb, name: string, bullId: string) =>
  db.job.findFirst({ where: { name, bullId }, select: { cancelRequested: true, status: true } });

/** Whether a user asked to cancel the job (null when the row is gone). */
export const findJobCancelRequested = async (db: TDb, id: string): Promise<boolean | null> => {
  const job = await db.job.findUnique({ where: { id }, select: { cancelRequested: true } });
  return job ? job.cancelRequested : null;
};

/** Puts a finished or failed row back to a fresh QUEUED state for a rerun under the same id. */
export const resetJobToQueued = (db: TJobWriter, id: string) =>
  db.job.update({
    where: { id },
    data: {
      status: "QUEUED",
      progress: 0,
      message: null,
      error: null,
      attempts: 0,
      startedAt: null,
      finishedAt: null,
      cancelRequested: false,
    },
  });

/** Cancels a row that is still QUEUED (a scheduler's placeholder that never ran); others are left alone. */
export const cancelJobIfQueued = async (db: TDb, id: string, message: string): Promise<void> => {
  await db.job.updateMany({
    where: { id, status: "QUEUED" },
    data: { status: "CANCELLED", finishedAt: new Date(), message },
  });
};

/** An attempt starts: RUNNING, one more attempt, the first start time kept. */
export const markJobRunning = async (db: TDb, id: string, startedAt: Date): Promise<void> => {
  await db.job.update({
    where: { id },
    data: { status: "RUNNING", attempts: { increment: 1 }, startedAt, error: null },
  });
};

export const setJobProgress = async (
  db: TDb,
  id: string,
  progress: number,
  message: string | undefined,
): Promise<void> => {
  await db.job.update({ where: { id }, data: { progress, ...(message ? { message } : {}) } });
};

export const markJobCompleted = async (
  db: TDb,
  id: string,
  outcome: { result: object; outputIds: string[] },
): Promise<void> => {
  await db.job.update({
    where: { id },
    data: {
      status: "COMPLETED",
      progress: 100,
      finishedAt: new Date(),
      result: outcome.result,
      outputIds: outcome.outputIds,
      message: "Done",
    },
  });
};

/** Back to QUEUED for another attempt or another worker; `error` is the failed attempt's message. */
export const markJobQueued = async (
  db: TDb,
  id: string,
  note: { message: string } | { error: string },
): Promise<void> => {
  await db.job.update({ where: { id }, data: { status: "QUEUED", ...note } });
};

/** A final state: FAILED keeps its message as the error, CANCELLED as the message. */
export const markJobFinal = async (
  db: TDb,
  id: string,
  status: "FAILED" | "CANCELLED",
  message: string,
): Promise<void> => {
  await db.job.update({
    where: { id },
    data: { status, finishedAt: new Date(), ...(status === "FAILED" ? { error: message } : { message }) },
  });
};

/** What cancelJob writes: CANCELLED at once, or the request a running handler sees at its checkpoint. */
export const updateJobCancellation = (
  db: TJobWriter,
  id: string,
  data: { status?: "CANCELLED"; finishedAt?: Date; cancelRequested?: boolean; message: string },
) => db.job.update({ where: { id }, data });

/** One page of jobs, newest first, optionally of one status and queue. */
export const findJobsPage = (
  db: TDb,
  filter: { status?: JobStatus | null; queue?: string | null },
  page: TPageArgs,
) =>
  findConnectionPage(
    db.job,
    {
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.queue ? { queue: filter.queue } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    },
    page,
  );
