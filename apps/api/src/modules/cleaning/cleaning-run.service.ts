import { compileRecipe, RecipeValidationError, readStepReports } from "@dam/cleaning/compile-recipe";
import type { Prisma } from "@dam/db/client";
import { DATA_SCHEMA, dropVersionTable } from "@dam/db/data-plane";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { findVersionById, findVersionWithDataset } from "../datasets/dataset-versions.service.ts";
import { checkUsableVersion } from "../datasets/usable-version.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { readPseudonymSecret } from "../privacy/pii-secret.service.ts";
import {
  findVersionsWithDatasetName,
  runCompiledSql,
  setVersionFailed,
  setVersionLoading,
  setVersionReady,
} from "./cleaning.repository.ts";
import { loadReferenceVersions } from "./cleaning-references.ts";
import { readColumns, type TCleaningSource, ZCleaningSource } from "./cleaning-source.ts";

const loadRun = async (deps: TDeps, versionId: string) => {
  const version = await findVersionWithDataset(deps, versionId);
  if (!version) throw new UnrecoverableError(`Dataset version ${versionId} does not exist`);
  const parsed = ZCleaningSource.safeParse(version.source);
  if (!parsed.success) throw new UnrecoverableError(`Version ${versionId} was not made by a cleaning recipe`);
  // A gated parent is cleaned all the same (issue 16): the gate blocks use, not the fix.
  const read = await checkUsableVersion(deps, parsed.data.parentVersionId, { qualityGate: false });
  if (!read.ok) throw new UnrecoverableError(`Source version: ${read.message}`);
  return { version, source: parsed.data, parent: read.version };
};

/**
 * Fills a cleaned version from its parent with one CREATE TABLE AS, then measures every step with one
 * count query over the same CTE chain. Idempotent: the target table is dropped and re-created on every
 * attempt, and a version already READY is left as it is.
 */
export const executeCleaningRun = async (deps: TDeps, versionId: string, ctx: TJobContext) => {
  const { version, source, parent } = await loadRun(deps, versionId);
  if (version.status === "READY") return { version, source, parent, report: source.report ?? [] };
  const references = await loadReferenceVersions(deps, source.references ?? {}).catch((error: Error) => {
    throw new UnrecoverableError(error.message);
  });
  const pseudonymSecret = await readPseudonymSecret(deps);
  const compiled = (() => {
    try {
      return compileRecipe({
        source: { schema: DATA_SCHEMA, table: parent.tableName },
        target: { schema: DATA_SCHEMA, table: version.tableName },
        columns: readColumns(parent.schema),
        steps: source.steps,
        references,
        pseudonymSecret,
      });
    } catch (error) {
      if (error instanceof RecipeValidationError)
        throw new UnrecoverableError(`Invalid recipe: ${error.message}`);
      throw error;
    }
  })();
  await setVersionLoading(deps.db, versionId);
  await ctx.progress(5, `Cleaning v${parent.number} with ${source.steps.length} steps`);
  await dropVersionTable(deps.pool, version.tableName);
  await ctx.checkpoint();
  await runCompiledSql(deps.pool, compiled.createSql, compiled.params);
  await ctx.progress(60, "Cleaned table written; measuring each step");
  await ctx.checkpoint();
  const counts = await runCompiledSql(deps.pool, compiled.countSql, compiled.params);
  const report = readStepReports(compiled, counts[0] ?? {});
  const rowCount = report[report.length - 1]?.rowsOut ?? 0;
  const finished: TCleaningSource = { ...source, report };
  const ready = await setVersionReady(deps.db, versionId, {
    rowCount,
    schema: compiled.columns as Prisma.InputJsonValue,
    source: finished as Prisma.InputJsonValue,
  });
  await ctx.progress(
    100,
    `${rowCount.toLocaleString("en")} of ${Number(parent.rowCount).toLocaleString("en")} rows kept`,
  );
  return { version: ready, source: finished, parent, report };
};

/** Lineage of a cleaning run: source version -> cleaned version, labelled with the recipe. */
export const recordCleaningLineage = async (
  deps: TDeps,
  run: Awaited<ReturnType<typeof executeCleaningRun>>,
  jobId: string,
): Promise<void> => {
  const { version, source, parent } = run;
  const recipe = { id: source.recipeId, name: source.recipeName };
  // Versions of other datasets that match_dataset steps read are inputs of the cleaned version too.
  const references = await findVersionsWithDatasetName(deps.db, Object.values(source.references ?? {}));
  await recordLineage(deps, {
    from: [
      { type: "DATASET_VERSION", refId: parent.id, label: `${version.dataset.name} v${parent.number}` },
      ...references.map((ref) => ({
        type: "DATASET_VERSION" as const,
        refId: ref.id,
        label: `${ref.dataset.name} v${ref.number}`,
      })),
    ],
    to: {
      type: "DATASET_VERSION",
      refId: version.id,
      label: `${version.dataset.name} v${version.number}`,
      metadata: { recipe },
    },
    jobId,
    relation: "cleaned_by",
  });
};

/** Undo for a run that failed for good or was cancelled: no half-made version stays behind. */
export const discardCleaningRun = async (deps: TDeps, versionId: string): Promise<void> => {
  const version = await findVersionById(deps, versionId);
  if (!version || version.status === "READY") return;
  await dropVersionTable(deps.pool, version.tableName);
  await setVersionFailed(deps.db, versionId);
};
