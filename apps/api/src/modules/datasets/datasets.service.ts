import { randomUUID } from "node:crypto";
import type { DatasetKind, Prisma } from "@dam/db/client";
import { MAX_DATA_COLUMNS, MAX_TABLE_COLUMNS, versionTableName } from "@dam/db/data-plane";
import { readHeader } from "@dam/tabular/record-source";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findDatasetIdsBySearch } from "../column-stats/catalog.service.ts";
import { escapeLikePattern } from "../core/input-text.ts";
import { findConnectionPage } from "../core/pagination.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { assertColumnRoles } from "./column-roles.ts";
import { ingestFileJob } from "./datasets.jobs.ts";
import type { TFileSource } from "./ingest.service.ts";

export type TCreateFileImportInput = {
  name: string;
  kind: DatasetKind;
  description?: string;
  tags?: string[];
  source: TFileSource;
};

const NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/**
 * A file wider than a PostgreSQL table can be is refused before anything is queued (the ingest job
 * refuses it too, for good, should the header have changed). Any other trouble reading the header is
 * the job's to report, with the file's name and line.
 */
const refuseTooManyColumns = async (source: TFileSource): Promise<void> => {
  const header = await readHeader({ ...source, format: source.format ?? "csv" }).catch(() => null);
  if (header && header.length > MAX_DATA_COLUMNS) {
    throw new AppError(
      "BAD_USER_INPUT",
      `the file has ${header.length.toLocaleString("en")} columns; a dataset holds at most ${MAX_DATA_COLUMNS.toLocaleString("en")} (PostgreSQL's limit of ${MAX_TABLE_COLUMNS.toLocaleString("en")} per table, one of them the line number)`,
      { field: "uploadIds", columns: header.length },
    );
  }
};

/** Creates the dataset if needed, a new PENDING version pointing at the file, and its ingest job. */
export const createFileImport = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: TCreateFileImportInput,
) => {
  if (!NAME.test(input.name)) {
    throw new AppError("BAD_USER_INPUT", "name: letters, digits, _ . - (1-100), starting with a letter", {
      field: "name",
    });
  }
  await refuseTooManyColumns(input.source);
  await assertImportRoles(input.source);
  const dataset = await deps.db.dataset.upsert({
    where: { name: input.name },
    create: {
      name: input.name,
      kind: input.kind,
      description: input.description ?? "",
      tags: input.tags ?? [],
      ownerId: actor?.userId ?? null,
    },
    update: {},
  });
  if (dataset.kind !== input.kind) {
    throw new AppError("CONFLICT", `Dataset ${input.name} is ${dataset.kind}, not ${input.kind}`, {
      field: "kind",
    });
  }
  const version = await createNextVersion(deps, dataset.id, { source: input.source, actor });
  const job = await enqueueJob(deps, ingestFileJob, { versionId: version.id }, { actor });
  await recordAudit(deps.db, actor, "dataset.import", "DatasetVersion", version.id, {
    dataset: dataset.name,
  });
  return { dataset, version, job };
};

/** Refuses, before any job starts, a role map naming a column the file lacks or a role that does not exist. */
export const assertImportRoles = async (source: TFileSource) => {
  const bindings = Object.entries(source.roles ?? {}).map(([column, role]) => ({ column, role }));
  if (bindings.length === 0) return;
  const header = await readHeader({
    paths: source.paths,
    format: source.format ?? "csv",
    delimiter: source.delimiter,
    encoding: source.encoding,
    header: source.header,
  }).catch((error: Error) => {
    throw new AppError("BAD_USER_INPUT", `uploadIds: ${error.message}`, { field: "uploadIds" });
  });
  assertColumnRoles(header, bindings);
};

/**
 * Creates the next version of a dataset (imports, cleaning runs and every other producer of versions).
 * Numbers are allocated by the (datasetId, number) unique constraint: two concurrent creators retry
 * instead of colliding.
 */
export const createNextVersion = async (
  deps: TDeps,
  datasetId: string,
  input: {
    source: unknown;
    parentId?: string | null;
    actor: TPrincipal | null;
    // Written in the same transaction as the version: both commit or neither (targetId is the version).
    audit?: { action: string; details?: Record<string, unknown> };
  },
) => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await deps.db.datasetVersion.findFirst({
      where: { datasetId },
      orderBy: { number: "desc" },
    });
    const id = randomUUID();
    try {
      return await inAuditedTransaction(deps.db, async (tx) => {
        const version = await tx.datasetVersion.create({
          data: {
            id,
            datasetId,
            number: (last?.number ?? 0) + 1,
            tableName: versionTableName(id),
            parentId: input.parentId ?? null,
            source: input.source as Prisma.InputJsonValue,
            createdById: input.actor?.userId ?? null,
          },
        });
        if (input.audit) {
          const { action, details } = input.audit;
          await recordAudit(tx, input.actor, action, "DatasetVersion", id, details);
        }
        return version;
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new AppError("CONFLICT", "Could not allocate a version number; try again");
};

export const findDatasets = async (
  deps: TDeps,
  args: { first: number; after?: string | null; kind?: DatasetKind | null; search?: string | null },
) => {
  const search = args.search?.trim();
  // Tag prefixes and column names of the latest version are matched in SQL (catalog.service.ts).
  const matchedIds = search ? await findDatasetIdsBySearch(deps, search) : [];
  const where: Prisma.DatasetWhereInput = {
    ...(args.kind ? { kind: args.kind } : {}),
    ...(search
      ? {
          OR: [
            // Prisma passes `contains` to ILIKE without escaping its wildcards.
            { name: { contains: escapeLikePattern(search), mode: "insensitive" } },
            { description: { contains: escapeLikePattern(search), mode: "insensitive" } },
            { id: { in: matchedIds } },
          ],
        }
      : {}),
  };
  return findConnectionPage(
    deps.db.dataset,
    { where, orderBy: [{ name: "asc" }, { id: "asc" }], include: { owner: { select: { name: true } } } },
    args,
  );
};

export const findDataset = (deps: TDeps, id: string) =>
  deps.db.dataset.findUnique({ where: { id }, include: { owner: { select: { name: true } } } });

export const findVersions = (deps: TDeps, datasetId: string) =>
  deps.db.datasetVersion.findMany({ where: { datasetId }, orderBy: { number: "desc" } });

export const findLatestReadyVersion = (deps: TDeps, datasetId: string) =>
  deps.db.datasetVersion.findFirst({ where: { datasetId, status: "READY" }, orderBy: { number: "desc" } });
