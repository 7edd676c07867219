import type { Prisma, PrismaClient } from "@dam/db/client";
import type pg from "pg";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient;
type TRow = Record<string, unknown>;

export const findDatasetById = (db: TDb, id: string) => db.dataset.findUnique({ where: { id } });

/** The newest READY version of a dataset. */
export const findNewestReadyVersion = (db: TDb, datasetId: string) =>
  db.datasetVersion.findFirst({ where: { datasetId, status: "READY" }, orderBy: { number: "desc" } });

/** Versions by id, each with its dataset's name. */
export const findVersionsWithDatasetName = (db: TDb, ids: string[]) =>
  db.datasetVersion.findMany({
    where: { id: { in: ids } },
    include: { dataset: { select: { name: true } } },
  });

/** Versions of a dataset made by a recipe (its id in their source), newest first. */
export const findVersionsOfRecipe = (db: TDb, recipe: { id: string; datasetId: string }, take: number) =>
  db.datasetVersion.findMany({
    where: { datasetId: recipe.datasetId, source: { path: ["recipeId"], equals: recipe.id } },
    orderBy: { number: "desc" },
    take,
  });

export const setVersionLoading = async (db: TDb, id: string): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "LOADING" } });
};

/** The commit point of a cleaning run: the version READY with its rows, schema and report. */
export const setVersionReady = (
  db: TDb,
  id: string,
  data: { rowCount: number; schema: Prisma.InputJsonValue; source: Prisma.InputJsonValue },
) =>
  db.datasetVersion.update({
    where: { id },
    data: { status: "READY", ...data, readyAt: new Date() },
    include: { dataset: true },
  });

export const setVersionFailed = async (db: TDb, id: string): Promise<void> => {
  await db.datasetVersion.update({ where: { id }, data: { status: "FAILED", rowCount: 0 } });
};

export const findRecipeById = (db: TDb, id: string) => db.cleaningRecipe.findUnique({ where: { id } });

/** One page of a dataset's recipes, by name. */
export const findRecipesPage = (db: TDb, datasetId: string, page: TPageArgs) =>
  findConnectionPage(
    db.cleaningRecipe,
    { where: { datasetId }, orderBy: [{ name: "asc" }, { id: "asc" }] },
    page,
  );

export const insertRecipe = (
  tx: TAuditedTransaction,
  recipe: { datasetId: string; name: string; steps: Prisma.InputJsonValue },
) => tx.cleaningRecipe.create({ data: recipe });

export const updateRecipe = (
  tx: TAuditedTransaction,
  id: string,
  data: { name?: string; steps?: Prisma.InputJsonValue },
) => tx.cleaningRecipe.update({ where: { id }, data });

/** Runs a compiled statement (CREATE TABLE AS, or the step counts) on the data plane; returns its rows. */
export const runCompiledSql = async (pool: pg.Pool, sql: string, params: unknown[]): Promise<TRow[]> =>
  (await pool.query<TRow>(sql, params)).rows;

/** Runs a compiled query in a read-only transaction: a dry run can never write. */
export const runReadOnlySql = async (pool: pg.Pool, sql: string, params: unknown[]): Promise<TRow[]> => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    const result = await client.query<TRow>(sql, params);
    await client.query("COMMIT");
    return result.rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
