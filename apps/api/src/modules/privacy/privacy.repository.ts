import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@dam/db/client";
import { qualifiedTable } from "@dam/db/data-plane";
import type pg from "pg";

type TDb = PrismaClient;

const INSTALL = "install";

/** The install's pseudonym key, made (32 random bytes) by the first process that asks. */
export const upsertPseudonymSecret = async (db: TDb): Promise<string> =>
  (
    await db.privacySetting.upsert({
      where: { id: INSTALL },
      create: { id: INSTALL, hmacSecret: randomBytes(32).toString("hex") },
      update: {},
    })
  ).hmacSecret;

/** The stored schema of a version (null when there is no such version). */
export const findVersionSchema = async (db: TDb, versionId: string): Promise<unknown> =>
  (await db.datasetVersion.findUnique({ where: { id: versionId }, select: { schema: true } }))?.schema ??
  null;

/** The version a quality run checked, or null. */
export const findQualityRunVersionId = async (db: TDb, runId: string): Promise<string | null> =>
  (await db.qualityRun.findUnique({ where: { id: runId }, select: { versionId: true } }))?.versionId ?? null;

/** What masking a label project's tasks depends on: the version its payloads come from, the fields shown. */
export const findLabelProjectMaskingScope = (db: TDb, projectId: string) =>
  db.labelProject.findUnique({
    where: { id: projectId },
    select: { sourceVersionId: true, visiblePayloadFields: true },
  });

/** Runs one ALTER TABLE with the given actions (built from quoted identifiers) on a version's table. */
export const alterVersionTable = async (pool: pg.Pool, table: string, actions: string[]): Promise<void> => {
  await pool.query(`ALTER TABLE ${qualifiedTable(table)} ${actions.join(", ")}`);
};

export const findRejectedRowsOfVersion = (db: TDb, versionId: string) =>
  db.rejectedRow.findMany({ where: { versionId } });

export const setRejectedRowText = async (
  db: TDb,
  id: bigint,
  text: { raw: string; reason: string },
): Promise<void> => {
  await db.rejectedRow.update({ where: { id }, data: text });
};
