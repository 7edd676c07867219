import type { Prisma, PrismaClient } from "@dam/db/client";
import type pg from "pg";
import type { TAuditedTransaction } from "../audit/audit.service.ts";

type TDb = PrismaClient;

/** Request statuses that mean "still to do". */
const OPEN = ["QUEUED", "RUNNING"];

/** The open (QUEUED or RUNNING) request for the person with this identifier hash, if any. */
export const findOpenErasureRequest = (db: TDb, identifierHash: string) =>
  db.erasureRequest.findFirst({ where: { identifierHash, status: { in: OPEN } } });

export const insertErasureRequest = (
  tx: TAuditedTransaction,
  request: {
    id: string;
    identifierKind: string;
    identifierHash: string;
    identifierHint: string;
    identifier: string;
    createdById: string | null;
  },
) => tx.erasureRequest.create({ data: request });

export const setErasureRequestJob = (db: TDb, id: string, jobId: string) =>
  db.erasureRequest.update({ where: { id }, data: { jobId } });

/** The latest requests, newest first. */
export const findLatestErasureRequests = (db: TDb, take: number) =>
  db.erasureRequest.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });

export const findErasureRequestById = (db: TDb, id: string) =>
  db.erasureRequest.findUnique({ where: { id } });

/** Ends a request that is still open with `status`; a finished one is left as it is. */
export const closeOpenErasureRequest = async (
  db: TDb,
  id: string,
  status: "FAILED" | "CANCELLED",
): Promise<void> => {
  await db.erasureRequest.updateMany({
    where: { id, status: { in: OPEN } },
    data: { status, finishedAt: new Date() },
  });
};

export const setErasureRequestRunning = async (db: TDb, id: string): Promise<void> => {
  await db.erasureRequest.update({ where: { id }, data: { status: "RUNNING" } });
};

/**
 * Completes a request and forgets its identifier, in one transaction with whatever `alsoWrite` writes
 * (its audit entry).
 */
export const completeErasureRequest = (
  db: TDb,
  id: string,
  report: Prisma.InputJsonValue,
  alsoWrite: (tx: TAuditedTransaction) => Promise<void>,
): Promise<void> =>
  db.$transaction(async (tx) => {
    await tx.erasureRequest.update({
      where: { id },
      data: { status: "COMPLETED", report, identifier: null, finishedAt: new Date() },
    });
    await alsoWrite(tx);
  });

/** Deletes the users' live events, experiment exposures and experiment events; returns the counts. */
export const deleteUserEvents = async (db: TDb, userIds: string[]) => {
  const live = await db.liveEvent.deleteMany({ where: { userId: { in: userIds } } });
  const exposures = await db.exposure.deleteMany({ where: { userId: { in: userIds } } });
  const experimentEvents = await db.experimentEvent.deleteMany({ where: { userId: { in: userIds } } });
  return { liveEvents: live.count, exposures: exposures.count, experimentEvents: experimentEvents.count };
};

/**
 * Removes the text that quotes any of `patterns` (lower-case LIKE patterns): rejected rows, failing-row
 * samples of quality results, and label tasks (`taskPatterns`, matched against the JSON payload).
 */
export const deleteQuotedText = async (pool: pg.Pool, patterns: string[], taskPatterns: string[]) => {
  const rejected = await pool.query(
    `DELETE FROM "RejectedRow" WHERE lower(raw) LIKE ANY($1) OR lower(reason) LIKE ANY($1)`,
    [patterns],
  );
  const samples = await pool.query(
    `UPDATE "QualityResult" SET samples = '[]'::jsonb WHERE lower(samples::text) LIKE ANY($1)`,
    [patterns],
  );
  const tasks = await pool.query(`DELETE FROM "LabelTask" WHERE lower(payload::text) LIKE ANY($1)`, [
    taskPatterns,
  ]);
  return {
    rejectedRows: rejected.rowCount ?? 0,
    qualitySamples: samples.rowCount ?? 0,
    labelTasks: tasks.rowCount ?? 0,
  };
};

/** Ids of platform accounts with one of the emails (any case) or one of the ids. */
export const findAccountIds = async (db: TDb, emails: string[], ids: string[]): Promise<string[]> => {
  const accounts = await db.user.findMany({
    where: {
      OR: [{ email: { in: emails, mode: "insensitive" } }, ...(ids.length > 0 ? [{ id: { in: ids } }] : [])],
    },
    select: { id: true },
  });
  return accounts.map((account) => account.id);
};

/** Replaces an account's identity with a placeholder and disables it; what it did stays attributed. */
export const anonymiseAccount = async (db: TDb, id: string): Promise<void> => {
  await db.user.update({
    where: { id },
    data: { email: `erased-${id}@erased.invalid`, name: "Erased user", disabledAt: new Date() },
  });
};

/** Models that may have been trained on erased data (any status but FAILED), with their inputs. */
export const findModelsWithInputs = (db: TDb) =>
  db.modelVersion.findMany({
    where: { status: { in: ["READY", "ACTIVE", "TRAINING", "RETIRED"] } },
    select: { id: true, inputs: true, staleAt: true },
  });

export const setModelStale = async (
  db: TDb,
  id: string,
  staleAt: Date,
  staleReason: string,
): Promise<void> => {
  await db.modelVersion.update({ where: { id }, data: { staleAt, staleReason } });
};

/** The erasures recorded on a version, oldest first. */
export const findVersionErasures = (db: TDb, versionId: string) =>
  db.versionErasure.findMany({ where: { versionId }, orderBy: { at: "asc" } });

/** READY profile sets with their READY segment sets and those sets' segments. */
export const findReadyProfileSets = (db: TDb) =>
  db.profileSet.findMany({
    where: { status: "READY" },
    include: { segmentSets: { where: { status: "READY" }, include: { segments: true } } },
  });

export const setSegmentSize = async (db: TDb, id: string, size: number): Promise<void> => {
  await db.segment.update({ where: { id }, data: { size } });
};

export const setProfileSetUserCount = async (db: TDb, id: string, userCount: number): Promise<void> => {
  await db.profileSet.update({ where: { id }, data: { userCount } });
};

/** Every stored upload, oldest first. */
export const findUploadsOldestFirst = (db: TDb) => db.upload.findMany({ orderBy: { createdAt: "asc" } });

export const setUploadContent = async (db: TDb, id: string, bytes: number, sha256: string): Promise<void> => {
  await db.upload.update({ where: { id }, data: { bytes, sha256 } });
};
