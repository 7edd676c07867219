/** GraphQL of the cleaning page and the shapes it reads (apps/api/src/modules/cleaning/cleaning.graphql). */
import type { Column, JobStatus, VersionStatus } from "@/lib/types";

export type StepReport = {
  step: number;
  op: string;
  rowsIn: number;
  rowsOut: number;
  changed: number | null;
};

export type RecipeRun = {
  id: string;
  number: number;
  status: VersionStatus;
  rowCount: number;
  createdAt: string;
  cleaningReport: StepReport[] | null;
};

export type CleaningRecipe = {
  id: string;
  name: string;
  steps: unknown;
  createdAt: string;
  runs: RecipeRun[];
};

export type CleaningDataset = {
  id: string;
  name: string;
  latestVersion: { id: string; number: number; rowCount: number; columns: Column[] } | null;
};

export type RunJob = {
  id: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  error: string | null;
  outputIds: string[];
};

const RECIPE_FIELDS = /* GraphQL */ `
  id
  name
  steps
  createdAt
  runs(first: 5) {
    id
    number
    status
    rowCount
    createdAt
    cleaningReport { step op rowsIn rowsOut changed }
  }
`;

export const CLEANING_PAGE_QUERY = /* GraphQL */ `
  query CleaningPage($id: ID!) {
    dataset(id: $id) {
      id
      name
      latestVersion { id number rowCount columns { name type nullable role } }
    }
    cleaningRecipes(datasetId: $id, first: 100) {
      totalCount
      edges { node { ${RECIPE_FIELDS} } }
    }
  }
`;

export const RECIPES_QUERY = /* GraphQL */ `
  query CleaningRecipes($id: ID!) {
    cleaningRecipes(datasetId: $id, first: 100) {
      totalCount
      edges { node { ${RECIPE_FIELDS} } }
    }
  }
`;

export const CREATE_RECIPE = /* GraphQL */ `
  mutation CreateCleaningRecipe($datasetId: ID!, $name: String!, $steps: JSON!) {
    createCleaningRecipe(datasetId: $datasetId, name: $name, steps: $steps) { ${RECIPE_FIELDS} }
  }
`;

export const RUN_RECIPE = /* GraphQL */ `
  mutation RunCleaningRecipe($recipeId: ID!) {
    runCleaningRecipe(recipeId: $recipeId) { id status progress message error outputIds }
  }
`;

export const JOB_QUERY = /* GraphQL */ `
  query CleaningJob($id: ID!) {
    job(id: $id) { id status progress message error outputIds }
  }
`;
