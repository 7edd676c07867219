import type { TRecipeColumn } from "@dam/cleaning/recipe-schema";
import { findPatterns, validateRecipe } from "@dam/cleaning/validate-recipe";
import type { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { createVersionWithJob } from "../datasets/datasets.service.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { checkPattern } from "../quality/quality.service.ts";
import { cleaningRunJob } from "./cleaning.jobs.ts";
import {
  findDatasetById,
  findNewestReadyVersion,
  findRecipeById,
  findRecipesPage,
  findVersionsOfRecipe,
  insertRecipe,
  updateRecipe,
} from "./cleaning.repository.ts";
import { resolveReferences } from "./cleaning-references.ts";
import { readColumns, type TCleaningSource } from "./cleaning-source.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

const checkName = (name: string): string => {
  const trimmed = name.trim();
  if (!NAME.test(trimmed)) {
    throw new AppError(
      "BAD_USER_INPUT",
      "name: letters, digits, space _ . - (1-100), starting with a letter or digit",
      {
        field: "name",
      },
    );
  }
  return trimmed;
};

// Steps are checked against the columns they will meet; without a READY version only their shape is.
// Patterns of `matches` conditions are compiled by PostgreSQL, which runs them.
export const checkSteps = async (deps: TDeps, steps: unknown, columns: TRecipeColumn[] | null) => {
  const result = validateRecipe(steps, columns);
  if (!result.ok) {
    throw new AppError("BAD_USER_INPUT", result.issues.join("; "), { field: "steps", issues: result.issues });
  }
  for (const { path, pattern } of findPatterns(result.steps)) await checkPattern(deps, pattern, path);
  return result.steps;
};

const latestColumns = async (deps: TDeps, datasetId: string): Promise<TRecipeColumn[] | null> => {
  const version = await findNewestReadyVersion(deps.db, datasetId);
  return version ? readColumns(version.schema) : null;
};

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === "P2002";

export const createCleaningRecipe = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { datasetId: string; name: string; steps: unknown },
) => {
  const dataset = await findDatasetById(deps.db, input.datasetId);
  if (!dataset)
    throw new AppError("NOT_FOUND", `Dataset ${input.datasetId} does not exist`, { field: "datasetId" });
  const name = checkName(input.name);
  const steps = await checkSteps(deps, input.steps, await latestColumns(deps, dataset.id));
  await resolveReferences(deps, steps);
  try {
    return await inAuditedTransaction(deps.db, async (tx) => {
      const recipe = await insertRecipe(tx, {
        datasetId: dataset.id,
        name,
        steps: steps as Prisma.InputJsonValue,
      });
      await recordAudit(tx, actor, "cleaning.recipe.create", "CleaningRecipe", recipe.id, { name });
      return recipe;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `Dataset ${dataset.name} already has a recipe named ${name}`, {
        field: "name",
      });
    }
    throw error;
  }
};

export const updateCleaningRecipe = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { id: string; name?: string | null; steps?: unknown },
) => {
  const recipe = await findRecipeOrThrow(deps, input.id);
  const name = input.name === undefined || input.name === null ? undefined : checkName(input.name);
  const steps =
    input.steps === undefined || input.steps === null
      ? undefined
      : await checkSteps(deps, input.steps, await latestColumns(deps, recipe.datasetId));
  if (steps) await resolveReferences(deps, steps);
  try {
    return await inAuditedTransaction(deps.db, async (tx) => {
      const updated = await updateRecipe(tx, recipe.id, {
        ...(name ? { name } : {}),
        ...(steps ? { steps: steps as Prisma.InputJsonValue } : {}),
      });
      await recordAudit(tx, actor, "cleaning.recipe.update", "CleaningRecipe", recipe.id, {
        name: updated.name,
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `The dataset already has a recipe named ${name}`, { field: "name" });
    }
    throw error;
  }
};

const findRecipeOrThrow = async (deps: TDeps, id: string) => {
  const recipe = await findRecipeById(deps.db, id);
  if (!recipe) throw new AppError("NOT_FOUND", `Cleaning recipe ${id} does not exist`, { field: "id" });
  return recipe;
};

export const findCleaningRecipe = (deps: TDeps, id: string) => findRecipeById(deps.db, id);

export const findCleaningRecipes = async (
  deps: TDeps,
  args: { datasetId: string; first: number; after?: string | null },
) => {
  return findRecipesPage(deps.db, args.datasetId, args);
};

/** Versions made by a recipe, newest first. */
export const findRecipeRuns = (deps: TDeps, recipe: { id: string; datasetId: string }, first: number) =>
  findVersionsOfRecipe(deps.db, recipe, first);

/**
 * Runs a recipe on a READY version: creates the cleaned version up front (PENDING, parent = the source
 * version, steps and the versions of other datasets they read frozen into its source) and queues the job
 * that fills it. Refuses at once steps its columns do not fit. A version that failed its quality gate can
 * be cleaned: the gate stops features and training from using bad data, not the fix of it.
 */
export const runCleaningRecipe = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { recipeId: string; versionId?: string | null },
) => {
  const recipe = await findRecipeOrThrow(deps, input.recipeId);
  const parent = input.versionId
    ? await findVersionById(deps, input.versionId)
    : await findNewestReadyVersion(deps.db, recipe.datasetId);
  if (!parent || parent.datasetId !== recipe.datasetId) {
    throw new AppError(
      input.versionId ? "NOT_FOUND" : "PRECONDITION_FAILED",
      input.versionId
        ? `Version ${input.versionId} is not a version of the recipe's dataset`
        : "The dataset has no READY version to clean",
      { field: "versionId" },
    );
  }
  // The datasets gate without its quality part: cleaning is how a gated version gets fixed (issue 16).
  await readUsableVersion(deps, parent.id, { field: "versionId", qualityGate: false });
  const steps = await checkSteps(deps, recipe.steps, readColumns(parent.schema));
  const references = await resolveReferences(deps, steps);
  const source: TCleaningSource = {
    recipeId: recipe.id,
    recipeName: recipe.name,
    parentVersionId: parent.id,
    steps,
    references: Object.fromEntries(Object.entries(references).map(([id, ref]) => [id, ref.versionId])),
  };
  const { job } = await createVersionWithJob(
    deps,
    recipe.datasetId,
    {
      source,
      parentId: parent.id,
      actor,
      audit: { action: "cleaning.run", details: { recipe: recipe.name, parentVersionId: parent.id } },
    },
    { definition: cleaningRunJob, payload: (versionId) => ({ versionId }) },
  );
  return job;
};
