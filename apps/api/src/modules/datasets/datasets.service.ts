import { randomUUID } from "node:crypto";
import type { Dataset, DatasetKind, DatasetVersion, Prisma } from "@dam/db/client";
import { MAX_DATA_COLUMNS, MAX_TABLE_COLUMNS, versionTableName } from "@dam/db/data-plane";
import { readHeader } from "@dam/tabular/record-source";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit, type TAuditedTransaction } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findDatasetIdsBySearch } from "../column-stats/catalog.service.ts";
import { escapeLikePattern } from "../core/input-text.ts";
import type { TJobDefinition } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { assertColumnRoles } from "./column-roles.ts";
import { ingestFileJob } from "./datasets.jobs.ts";
import {
  findDatasetNamesByIds,
  findDatasetsPage,
  findDatasetWithOwner,
  findLastVersion,
  findNewestReadyVersion,
  findVersionNamesByIds,
  findVersionsOfDataset,
  insertVersion,
  upsertDatasetByName,
} from "./datasets.repository.ts";
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
  let dataset: Dataset | undefined;
  const { version, job } = await createVersionWithJob(
    deps,
    async (tx) => {
      dataset = await upsertDatasetOfKind(tx, {
        name: input.name,
        kind: input.kind,
        description: input.description ?? "",
        tags: input.tags ?? [],
        ownerId: actor?.userId ?? null,
      });
      return dataset.id;
    },
    { source: input.source, actor, audit: { action: "dataset.import", details: { dataset: input.name } } },
    { definition: ingestFileJob, payload: (versionId) => ({ versionId }) },
  );
  return { dataset: dataset!, version, job };
};

/**
 * Finds the dataset named `create.name` or creates it (in the caller's transaction, so a dataset made
 * for a version that is then not written is not left behind); CONFLICT when it exists with another kind.
 */
export const upsertDatasetOfKind = async (
  tx: TAuditedTransaction,
  create: Prisma.DatasetUncheckedCreateInput,
  field = "kind",
) => {
  const dataset = await upsertDatasetByName(tx, create);
  if (dataset.kind !== create.kind) {
    throw new AppError("CONFLICT", `Dataset ${create.name} is ${dataset.kind}, not ${create.kind}`, {
      field,
    });
  }
  return dataset;
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

type TNextVersionInput = {
  source: unknown;
  parentId?: string | null;
  actor: TPrincipal | null;
  // Written in the same transaction as the version: both commit or neither (targetId is the version).
  audit?: { action: string; details?: Record<string, unknown> };
  /** The version's id when the caller needs it beforehand (e.g. to write a file the job reads). */
  id?: string;
};

/** The dataset a new version belongs to: its id, or a step that finds or creates it in the transaction. */
type TVersionDataset = string | ((tx: TAuditedTransaction) => Promise<string>);

const writeNextVersion = async (
  tx: TAuditedTransaction,
  dataset: TVersionDataset,
  id: string,
  input: TNextVersionInput,
) => {
  const datasetId = typeof dataset === "string" ? dataset : await dataset(tx);
  const last = await findLastVersion(tx, datasetId);
  return insertVersion(tx, {
    id,
    datasetId,
    number: (last?.number ?? 0) + 1,
    tableName: versionTableName(id),
    parentId: input.parentId ?? null,
    source: input.source as Prisma.InputJsonValue,
    createdById: input.actor?.userId ?? null,
  });
};

/**
 * Numbers are allocated by the (datasetId, number) unique constraint: two concurrent creators retry
 * (the whole transaction, so nothing of a lost attempt stays) instead of colliding.
 */
const withVersionNumberRetry = async <T>(attempt: () => Promise<T>): Promise<T> => {
  for (let tries = 0; tries < 5; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new AppError("CONFLICT", "Could not allocate a version number; try again");
};

/** Creates the next version of a dataset, with its audit entry in the same transaction. */
export const createNextVersion = (deps: TDeps, datasetId: string, input: TNextVersionInput) => {
  const id = input.id ?? randomUUID();
  return withVersionNumberRetry(() =>
    inAuditedTransaction(deps.db, async (tx) => {
      const version = await writeNextVersion(tx, datasetId, id, input);
      if (input.audit) {
        await recordAudit(tx, input.actor, input.audit.action, "DatasetVersion", id, input.audit.details);
      }
      return version;
    }),
  );
};

/**
 * Creates the next version of a dataset and the job that fills it (imports, cleaning runs and every
 * other producer of versions): the dataset when `dataset` creates it, the version, the Job row and the
 * audit entry commit in one transaction, or nothing is written. The queue job is added after the commit.
 */
export const createVersionWithJob = async <TPayload>(
  deps: TDeps,
  dataset: TVersionDataset,
  input: TNextVersionInput,
  job: { definition: TJobDefinition<TPayload>; payload: (versionId: string) => TPayload },
) => {
  const id = input.id ?? randomUUID();
  let version: DatasetVersion | undefined;
  const record = await withVersionNumberRetry(() =>
    enqueueJob(deps, job.definition, job.payload(id), {
      actor: input.actor,
      ...(input.audit ? { audit: { ...input.audit, targetType: "DatasetVersion", targetId: id } } : {}),
      alsoWrite: async (tx) => {
        version = await writeNextVersion(tx, dataset, id, input);
      },
    }),
  );
  return { version: version!, job: record };
};

export const findDatasets = async (
  deps: TDeps,
  args: { first: number; after?: string | null; kind?: DatasetKind | null; search?: string | null },
) => {
  const search = args.search?.trim();
  // Tag prefixes and column names of the latest version are matched in SQL (catalog.service.ts).
  const matchedIds = search ? await findDatasetIdsBySearch(deps, search) : [];
  return findDatasetsPage(
    deps.db,
    {
      kind: args.kind,
      // Prisma passes `contains` to ILIKE without escaping its wildcards.
      ...(search ? { search: { text: escapeLikePattern(search), ids: matchedIds } } : {}),
    },
    args,
  );
};

export const findDataset = (deps: TDeps, id: string) => findDatasetWithOwner(deps.db, id);

export const findVersions = (deps: TDeps, datasetId: string) => findVersionsOfDataset(deps.db, datasetId);

/** Datasets and versions among `ids` (uuids only), by id, named as people read them: "name" or "name vN". */
export const findDatasetNames = async (
  deps: TDeps,
  ids: string[],
): Promise<Map<string, { kind: "DATASET" | "DATASET_VERSION"; name: string }>> => {
  const uuids = ids.filter((id) => UUID.test(id));
  if (uuids.length === 0) return new Map();
  const [datasets, versions] = await Promise.all([
    findDatasetNamesByIds(deps.db, uuids),
    findVersionNamesByIds(deps.db, uuids),
  ]);
  const names = new Map<string, { kind: "DATASET" | "DATASET_VERSION"; name: string }>();
  for (const d of datasets) names.set(d.id, { kind: "DATASET", name: d.name });
  for (const v of versions)
    names.set(v.id, { kind: "DATASET_VERSION", name: `${v.dataset.name} v${v.number}` });
  return names;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const findLatestReadyVersion = (deps: TDeps, datasetId: string) =>
  findNewestReadyVersion(deps.db, datasetId);
