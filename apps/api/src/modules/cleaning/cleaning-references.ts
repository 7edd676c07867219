import type { TCleaningStep, TRecipeColumn } from "@dam/cleaning/recipe-schema";
import { DATA_SCHEMA } from "@dam/db/data-plane";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { findNewestReadyVersion } from "./cleaning.repository.ts";
import { readColumns } from "./cleaning-source.ts";

/** dataset id -> the version of it a run reads (frozen when the run is requested). */
export const ZReferenceVersions = z.record(z.string(), z.string().uuid());
export type TReferenceVersions = z.infer<typeof ZReferenceVersions>;

export type TResolvedReferences = Record<
  string,
  { versionId: string; ref: { schema: string; table: string }; columns: TRecipeColumn[] }
>;

const toResolved = (version: { id: string; tableName: string; schema: unknown }) => ({
  versionId: version.id,
  ref: { schema: DATA_SCHEMA, table: version.tableName },
  columns: readColumns(version.schema),
});

/**
 * The newest READY version of every dataset a match_dataset step reads, with the step's reference
 * column checked against it: a missing dataset, version or column is refused naming the step.
 */
export const resolveReferences = async (
  deps: TDeps,
  steps: TCleaningStep[],
): Promise<TResolvedReferences> => {
  const resolved: TResolvedReferences = {};
  for (const [index, step] of steps.entries()) {
    if (step.op !== "match_dataset") continue;
    if (!resolved[step.refDatasetId]) {
      const version = await findNewestReadyVersion(deps.db, step.refDatasetId);
      if (!version) {
        throw new AppError(
          "BAD_USER_INPUT",
          `steps[${index}].refDatasetId: no READY version of dataset ${step.refDatasetId}`,
          { field: `steps[${index}].refDatasetId` },
        );
      }
      resolved[step.refDatasetId] = toResolved(version);
    }
    const columns = resolved[step.refDatasetId]?.columns ?? [];
    if (!columns.some((column) => column.name === step.refColumn)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `steps[${index}].refColumn: "${step.refColumn}" is not a column of the other dataset (columns: ${columns.map((c) => c.name).join(", ")})`,
        { field: `steps[${index}].refColumn` },
      );
    }
  }
  return resolved;
};

/** The frozen reference versions of a run, re-read in the job. */
export const loadReferenceVersions = async (deps: TDeps, frozen: TReferenceVersions) => {
  const resolved: TResolvedReferences = {};
  for (const [datasetId, versionId] of Object.entries(frozen)) {
    const version = await findVersionById(deps, versionId);
    if (version?.status !== "READY")
      throw new Error(`Reference version ${versionId} is missing or not READY`);
    resolved[datasetId] = toResolved(version);
  }
  return resolved;
};
