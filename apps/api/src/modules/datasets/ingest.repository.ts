import type { Prisma, PrismaClient } from "@dam/db/client";
import { openCopyStreams, type TCopySender } from "@dam/db/copy-streams";
import { qualifiedTable } from "@dam/db/data-plane";
import type { TReject } from "@dam/tabular/typed-row";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";

type TDb = PrismaClient;

export const deleteRejectedRows = async (db: TDb, versionId: string): Promise<void> => {
  await db.rejectedRow.deleteMany({ where: { versionId } });
};

/** Stores rejected rows of a version (already made storable by `toStoredReject`). */
export const insertRejectedRows = async (db: TDb, versionId: string, rejects: TReject[]): Promise<void> => {
  await db.rejectedRow.createMany({ data: rejects.map((reject) => ({ versionId, ...reject })) });
};

/** The load starts: LOADING with the inferred schema. */
export const setVersionLoading = async (
  db: TDb,
  id: string,
  schema: Prisma.InputJsonValue,
): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "LOADING", schema } });
};

/** The commit point of an import: READY with its schema, counts and source. */
export const setVersionReady = async (
  db: TDb,
  id: string,
  data: {
    schema: Prisma.InputJsonValue;
    rowCount: number;
    rejectedCount: number;
    source: Prisma.InputJsonValue;
  },
): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "READY", ...data, readyAt: new Date() } });
};

export const setVersionFailed = async (db: TDb, id: string): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "FAILED", rowCount: 0 } });
};

export const findUploadsByPaths = (db: TDb, paths: string[]) =>
  db.upload.findMany({ where: { path: { in: paths } } });

export const findUploadsByIds = (db: TDb, ids: string[]) =>
  db.upload.findMany({ where: { id: { in: ids } } });

export const insertUpload = (db: TDb, upload: Prisma.UploadUncheckedCreateInput) =>
  db.upload.create({ data: upload });

/** COPY streams (text format) into the given columns of a version's table. */
export const openVersionCopy = (
  pool: pg.Pool,
  table: string,
  columns: string[],
  streams: number,
): Promise<TCopySender> =>
  openCopyStreams(
    pool,
    `COPY ${qualifiedTable(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN WITH (FORMAT text)`,
    streams,
  );
