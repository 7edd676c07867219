import type { DatasetKind, Prisma, PrismaClient } from "@dam/db/client";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient;

/** The dataset named `create.name`, created from `create` when there is none (never updated). */
export const upsertDatasetByName = (tx: TAuditedTransaction, create: Prisma.DatasetUncheckedCreateInput) =>
  tx.dataset.upsert({ where: { name: create.name }, create, update: {} });

/** The highest-numbered version of a dataset, whatever its status. */
export const findLastVersion = (tx: TAuditedTransaction, datasetId: string) =>
  tx.datasetVersion.findFirst({ where: { datasetId }, orderBy: { number: "desc" } });

export const insertVersion = (tx: TAuditedTransaction, version: Prisma.DatasetVersionUncheckedCreateInput) =>
  tx.datasetVersion.create({ data: version });

/**
 * One page of datasets by name, with their owner's name: of one kind, and/or whose name or description
 * contains `search.text` (LIKE wildcards already escaped) or whose id is among `search.ids`.
 */
export const findDatasetsPage = (
  db: TDb,
  filter: { kind?: DatasetKind | null; search?: { text: string; ids: string[] } },
  page: TPageArgs,
) => {
  const { search } = filter;
  const where: Prisma.DatasetWhereInput = {
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(search
      ? {
          OR: [
            { name: { contains: search.text, mode: "insensitive" } },
            { description: { contains: search.text, mode: "insensitive" } },
            { id: { in: search.ids } },
          ],
        }
      : {}),
  };
  return findConnectionPage(
    db.dataset,
    { where, orderBy: [{ name: "asc" }, { id: "asc" }], include: { owner: { select: { name: true } } } },
    page,
  );
};

export const findDatasetWithOwner = (db: TDb, id: string) =>
  db.dataset.findUnique({ where: { id }, include: { owner: { select: { name: true } } } });

export const findDatasetByName = (db: TDb, name: string) => db.dataset.findUnique({ where: { name } });

/** Every version of a dataset, newest first. */
export const findVersionsOfDataset = (db: TDb, datasetId: string) =>
  db.datasetVersion.findMany({ where: { datasetId }, orderBy: { number: "desc" } });

/** Names of the datasets among `ids`. */
export const findDatasetNamesByIds = (db: TDb, ids: string[]) =>
  db.dataset.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });

/** Numbers and dataset names of the versions among `ids`. */
export const findVersionNamesByIds = (db: TDb, ids: string[]) =>
  db.datasetVersion.findMany({
    where: { id: { in: ids } },
    select: { id: true, number: true, dataset: { select: { name: true } } },
  });

/** The newest READY version of a dataset, optionally numbered below `beforeNumber`. */
export const findNewestReadyVersion = (db: TDb, datasetId: string, beforeNumber?: number) =>
  db.datasetVersion.findFirst({
    where: {
      datasetId,
      status: "READY",
      ...(beforeNumber === undefined ? {} : { number: { lt: beforeNumber } }),
    },
    orderBy: { number: "desc" },
  });

export const findVersionById = (db: TDb, id: string) => db.datasetVersion.findUnique({ where: { id } });

export const findVersionWithDataset = (db: TDb, id: string) =>
  db.datasetVersion.findUnique({ where: { id }, include: { dataset: true } });

export const updateVersionRow = (db: TDb, id: string, data: Prisma.DatasetVersionUpdateInput) =>
  db.datasetVersion.update({ where: { id }, data, include: { dataset: true } });

export const findVersionWithDatasetOrThrow = (db: TDb, id: string) =>
  db.datasetVersion.findUniqueOrThrow({ where: { id }, include: { dataset: true } });

/** A version with its dataset's name and kind (what the usable-version gate checks). */
export const findVersionForGate = (db: TDb, id: string) =>
  db.datasetVersion.findUnique({
    where: { id },
    include: { dataset: { select: { name: true, kind: true } } },
  });

export const updateVersionSchema = (tx: TAuditedTransaction, id: string, schema: Prisma.InputJsonValue) =>
  tx.datasetVersion.update({ where: { id }, data: { schema } });
