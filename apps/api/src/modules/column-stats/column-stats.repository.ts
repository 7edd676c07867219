import type { PrismaClient, RejectedRow } from "@dam/db/client";
import type pg from "pg";
import { findBigIntConnectionPage, type TPageArgs } from "../core/pagination.ts";
import type { TVersionProfile } from "./profile-schema.ts";

type TDb = PrismaClient;
type TRow = Record<string, unknown>;

/** Number and schema of the newest READY version of a dataset numbered below `number`. */
export const findPreviousReadySchema = (db: TDb, datasetId: string, number: number) =>
  db.datasetVersion.findFirst({
    where: { datasetId, status: "READY", number: { lt: number } },
    orderBy: { number: "desc" },
    select: { number: true, schema: true },
  });

/** One page of a version's rejected rows in file order (insertion order: files are read line by line). */
export const findRejectedRowsPage = (db: TDb, versionId: string, page: TPageArgs) =>
  findBigIntConnectionPage(db.rejectedRow, { where: { versionId }, orderBy: { id: "asc" } }, page);

/** Up to `limit` rejected rows of a version after `afterId`: the keyset page of a download. */
export const readRejectedRowsAfter = (
  db: TDb,
  versionId: string,
  afterId: bigint | null,
  limit: number,
): Promise<RejectedRow[]> =>
  db.rejectedRow.findMany({
    where: { versionId, ...(afterId !== null ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
  });

export const findDatasetByIdOrThrow = (db: TDb, id: string) =>
  db.dataset.findUniqueOrThrow({ where: { id } });

/** Runs one profiling statement (built by profile-sql.ts) on the version tables. */
export const runProfileQuery = async (pool: pg.Pool, sql: string, params: unknown[] = []): Promise<TRow[]> =>
  (await pool.query<TRow>(sql, params)).rows;

export const saveVersionProfile = async (
  db: TDb,
  versionId: string,
  profile: TVersionProfile,
): Promise<void> => {
  await db.datasetVersion.update({ where: { id: versionId }, data: { profile } });
};
