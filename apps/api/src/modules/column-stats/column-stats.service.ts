import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { columnStatsJob } from "./column-stats.jobs.ts";
import { findPreviousReadySchema, findRejectedRowsPage } from "./column-stats.repository.ts";
import { parseStoredProfile, type TVersionProfile } from "./profile-schema.ts";
import { diffSchemas, type TDiffColumn, type TSchemaDiff } from "./schema-diff.ts";

type TVersionRef = { id: string; datasetId: string; number: number; schema: unknown; profile: unknown };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const findVersion = (deps: TDeps, id: string) =>
  UUID.test(id) ? findVersionById(deps, id) : Promise.resolve(null);

export const readVersionProfile = (version: TVersionRef): TVersionProfile | null =>
  parseStoredProfile(version.profile);

const storedColumns = (schema: unknown): TDiffColumn[] =>
  Array.isArray(schema) ? (schema as TDiffColumn[]) : [];

/** The diff against the newest READY version numbered below this one; null for the first version. */
export const findSchemaDiff = async (
  deps: TDeps,
  version: TVersionRef,
): Promise<(TSchemaDiff & { previousVersionNumber: number }) | null> => {
  const previous = await findPreviousReadySchema(deps.db, version.datasetId, version.number);
  if (!previous) return null;
  return {
    previousVersionNumber: previous.number,
    ...diffSchemas(storedColumns(previous.schema), storedColumns(version.schema)),
  };
};

export const findRejectedRows = (
  deps: TDeps,
  versionId: string,
  args: { first: number; after?: string | null },
) => findRejectedRowsPage(deps.db, versionId, args);

/**
 * Queues the profile job again (or returns the one already waiting for this version); `actor` is null when
 * the platform asks (an erasure changed the version's rows).
 */
export const requestVersionProfile = async (deps: TDeps, actor: TPrincipal | null, versionId: string) => {
  const version = await findVersion(deps, versionId);
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
  if (version.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Version ${versionId} is ${version.status}; only READY versions are profiled`,
    );
  }
  return enqueueJob(
    deps,
    columnStatsJob,
    { versionId },
    {
      actor,
      rerun: true,
      audit: { action: "version.profile", targetType: "DatasetVersion", targetId: versionId },
    },
  );
};

export const rejectsDownloadPath = (versionId: string): string => `/api/v1/versions/${versionId}/rejects.csv`;
