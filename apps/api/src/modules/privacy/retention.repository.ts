import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TAuditedTransaction } from "../audit/audit.service.ts";

type TDb = PrismaClient;

export const datasetExists = async (db: TDb, id: string): Promise<boolean> =>
  (await db.dataset.findUnique({ where: { id }, select: { id: true } })) !== null;

export const upsertRetentionPolicy = (
  tx: TAuditedTransaction,
  policy: {
    datasetId: string;
    uploadDays: number | null;
    supersededDays: number | null;
    updatedById: string | null;
  },
) =>
  tx.retentionPolicy.upsert({
    where: { datasetId: policy.datasetId },
    create: policy,
    update: {
      uploadDays: policy.uploadDays,
      supersededDays: policy.supersededDays,
      updatedById: policy.updatedById,
    },
  });

/** What still reads a version: embedding, image and profile sets not FAILED, open label projects. */
export const countVersionDependants = async (db: TDb, versionId: string) => {
  const [embeddings, images, profiles, projects] = await Promise.all([
    db.embeddingSet.count({ where: { sourceVersionId: versionId, status: { not: "FAILED" } } }),
    db.imageSet.count({ where: { catalogVersionId: versionId, status: { not: "FAILED" } } }),
    db.profileSet.count({ where: { eventsVersionId: versionId, status: { not: "FAILED" } } }),
    db.labelProject.count({ where: { sourceVersionId: versionId, status: "OPEN" } }),
  ]);
  return { embeddings, images, profiles, projects };
};

/** Every retention policy with its dataset's name. */
export const findPoliciesWithDatasetName = (db: TDb) =>
  db.retentionPolicy.findMany({ include: { dataset: { select: { name: true } } } });

/** Models that are not retired or failed, with the inputs they were trained on. */
export const findLiveModelInputs = (db: TDb) =>
  db.modelVersion.findMany({
    where: { status: { in: ["TRAINING", "READY", "ACTIVE"] } },
    select: { id: true, name: true, version: true, inputs: true },
  });

/** Every version (what retention weighs), by dataset and number. */
export const findVersionsForRetention = (db: TDb) =>
  db.datasetVersion.findMany({
    select: {
      id: true,
      datasetId: true,
      number: true,
      status: true,
      readyAt: true,
      tableName: true,
      source: true,
    },
    orderBy: [{ datasetId: "asc" }, { number: "asc" }],
  });

/** A version whose table was dropped: EXPIRED, its metadata kept. */
export const setVersionExpired = async (db: TDb, id: string): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "EXPIRED", expiredAt: new Date() } });
};

/** Uploads among `paths` stored before `cutoff`. */
export const findUploadsBefore = (db: TDb, paths: string[], cutoff: Date) =>
  db.upload.findMany({ where: { path: { in: paths }, createdAt: { lt: cutoff } } });

export const deleteUpload = async (db: TDb, id: string): Promise<void> => {
  await db.upload.delete({ where: { id } });
};

export const insertRetentionRun = (
  db: TDb,
  run: { trigger: string; jobId: string; removed: Prisma.InputJsonValue; kept: Prisma.InputJsonValue },
) => db.retentionRun.create({ data: run });

export const findPolicyOfDataset = (db: TDb, datasetId: string) =>
  db.retentionPolicy.findUnique({ where: { datasetId } });

/** Every policy, most recently changed first. */
export const findPolicies = (db: TDb) => db.retentionPolicy.findMany({ orderBy: { updatedAt: "desc" } });

/** The latest retention runs, newest first. */
export const findLatestRetentionRuns = (db: TDb, take: number) =>
  db.retentionRun.findMany({ orderBy: { at: "desc" }, take });
