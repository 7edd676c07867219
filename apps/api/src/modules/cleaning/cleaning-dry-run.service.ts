import { compileRecipe, readStepReports } from "@dam/cleaning/compile-recipe";
import { DATA_SCHEMA } from "@dam/db/data-plane";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { readPseudonymSecret } from "../privacy/pii-secret.service.ts";
import { findRecipeById, runReadOnlySql } from "./cleaning.repository.ts";
import { checkSteps } from "./cleaning.service.ts";
import { resolveReferences } from "./cleaning-references.ts";
import { readColumns } from "./cleaning-source.ts";

/**
 * What a recipe would do to a READY version, step by step (rows in, rows out, values changed), without
 * writing anything: the run's own count query over the same CTE chain, in a read-only transaction.
 * Takes a saved recipe or unsaved steps, so the console can show counts while a recipe is built.
 */
export const dryRunCleaning = async (
  deps: TDeps,
  input: { versionId: string; recipeId?: string | null; steps?: unknown },
) => {
  const hasSteps = input.steps !== undefined && input.steps !== null;
  if (Boolean(input.recipeId) === hasSteps) {
    throw new AppError("BAD_USER_INPUT", "recipeId, steps: give exactly one of them", { field: "steps" });
  }
  const version = await findVersionById(deps, input.versionId);
  if (!version)
    throw new AppError("NOT_FOUND", `versionId: no version ${input.versionId}`, { field: "versionId" });
  if (version.status !== "READY") {
    throw new AppError("PRECONDITION_FAILED", `Version ${version.number} is ${version.status}, not READY`, {
      field: "versionId",
    });
  }
  let rawSteps = input.steps;
  if (input.recipeId) {
    const recipe = await findRecipeById(deps.db, input.recipeId);
    if (recipe?.datasetId !== version.datasetId) {
      throw new AppError("NOT_FOUND", `recipeId: no recipe ${input.recipeId} on this version's dataset`, {
        field: "recipeId",
      });
    }
    rawSteps = recipe.steps;
  }
  const steps = await checkSteps(deps, rawSteps, readColumns(version.schema));
  const references = await resolveReferences(deps, steps);
  const compiled = compileRecipe({
    source: { schema: DATA_SCHEMA, table: version.tableName },
    // Never created: only the count query runs.
    target: { schema: DATA_SCHEMA, table: `${version.tableName}_dry_run` },
    columns: readColumns(version.schema),
    steps,
    references,
    pseudonymSecret: await readPseudonymSecret(deps),
  });
  const counts = await runReadOnlySql(deps.pool, compiled.countSql, compiled.params);
  return readStepReports(compiled, counts[0] ?? {});
};
