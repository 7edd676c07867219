import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TAuditedTransaction } from "../audit/audit.service.ts";

type TDb = PrismaClient;
/** What a steward decides about a kind of PII on a column. */
type TDecisionStatus = "CONFIRMED" | "REJECTED";

/** A version's tags, by column and then confidence. */
export const findTagsOfVersion = (db: TDb, versionId: string) =>
  db.columnPiiTag.findMany({ where: { versionId }, orderBy: [{ column: "asc" }, { confidence: "desc" }] });

/** Tags not rejected on the given columns of the given versions, most confident first. */
export const findLiveTagsOnColumns = (db: TDb, versionIds: string[], columns: string[]) =>
  db.columnPiiTag.findMany({
    where: { versionId: { in: versionIds }, status: { not: "REJECTED" }, column: { in: columns } },
    orderBy: { confidence: "desc" },
  });

/** Tags not rejected of the given versions, confirmed before suggested, then most confident first. */
export const findLiveTagsOfVersions = (db: TDb, versionIds: string[]) =>
  db.columnPiiTag.findMany({
    where: { versionId: { in: versionIds }, status: { not: "REJECTED" } },
    orderBy: [{ status: "desc" }, { confidence: "desc" }],
  });

/** Tag counts of READY versions by kind of data, status and masking mode. */
export const countReadyTagsByTypeStatusMode = (db: TDb) =>
  db.columnPiiTag.groupBy({
    by: ["piiType", "status", "maskingMode"],
    where: { version: { status: "READY" } },
    _count: { _all: true },
  });

/** The steward's decisions for a dataset on the given columns. */
export const findDecisionsOnColumns = (db: TDb, datasetId: string, columns: string[]) =>
  db.piiDecision.findMany({ where: { datasetId, column: { in: columns } } });

/** Replaces every tag of a version in one transaction: a failed write leaves the previous tags. */
export const replaceVersionTags = async (
  db: TDb,
  versionId: string,
  tags: Prisma.ColumnPiiTagCreateManyInput[],
): Promise<void> => {
  await db.$transaction([
    db.columnPiiTag.deleteMany({ where: { versionId } }),
    db.columnPiiTag.createMany({ data: tags }),
  ]);
};

export const upsertDecision = async (
  tx: TAuditedTransaction,
  decision: {
    datasetId: string;
    column: string;
    piiType: string;
    status: TDecisionStatus;
    maskingMode: string | null;
    decidedById: string | null;
  },
): Promise<void> => {
  const { datasetId, column, piiType, status, maskingMode, decidedById } = decision;
  await tx.piiDecision.upsert({
    where: { datasetId_column_piiType: { datasetId, column, piiType } },
    create: decision,
    update: { status, maskingMode, decidedById, decidedAt: new Date() },
  });
};

/** Ids of a dataset's READY versions. */
export const findReadyVersionIds = async (tx: TAuditedTransaction, datasetId: string): Promise<string[]> =>
  (await tx.datasetVersion.findMany({ where: { datasetId, status: "READY" }, select: { id: true } })).map(
    (version) => version.id,
  );

/** Sets the status (and, when given, the masking mode) of one kind of tag on a column of the versions. */
export const setTagStatus = async (
  tx: TAuditedTransaction,
  where: { versionIds: string[]; column: string; piiType: string },
  data: { status: TDecisionStatus; maskingMode?: string },
): Promise<void> => {
  await tx.columnPiiTag.updateMany({
    where: { versionId: { in: where.versionIds }, column: where.column, piiType: where.piiType },
    data,
  });
};

/** Creates a tag unless the version already has this kind on this column (an existing one is kept as is). */
export const insertTagIfMissing = async (
  tx: TAuditedTransaction,
  tag: Prisma.ColumnPiiTagUncheckedCreateInput,
): Promise<void> => {
  await tx.columnPiiTag.upsert({
    where: {
      versionId_column_piiType: { versionId: tag.versionId, column: tag.column, piiType: tag.piiType },
    },
    create: tag,
    update: {},
  });
};

/** The READY versions among `ids`. */
export const findReadyVersionsAmong = (tx: TAuditedTransaction, ids: string[]) =>
  tx.datasetVersion.findMany({ where: { id: { in: ids }, status: "READY" } });
