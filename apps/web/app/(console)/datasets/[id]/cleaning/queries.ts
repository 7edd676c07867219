/** GraphQL of the cleaning page and the shapes it reads (apps/api/src/modules/cleaning/cleaning.graphql). */
import { graphql } from "@/lib/generated/gql";
import type {
  CleaningPageQuery,
  CleaningRecipeFieldsFragment,
  RunCleaningRecipeMutation,
} from "@/lib/generated/gql/graphql";

export const CleaningRecipeFieldsFragmentDoc = graphql(`
  fragment CleaningRecipeFields on CleaningRecipe {
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
  }
`);

export const CLEANING_PAGE_QUERY = graphql(`
  query CleaningPage($id: ID!) {
    dataset(id: $id) {
      id
      name
      latestVersion { id number rowCount columns { name type nullable role } }
    }
    cleaningRecipes(datasetId: $id, first: 100) {
      totalCount
      edges { node { ...CleaningRecipeFields } }
    }
  }
`);

export const RECIPES_QUERY = graphql(`
  query CleaningRecipes($id: ID!) {
    cleaningRecipes(datasetId: $id, first: 100) {
      totalCount
      edges { node { ...CleaningRecipeFields } }
    }
  }
`);

export const CREATE_RECIPE = graphql(`
  mutation CreateCleaningRecipe($input: CreateCleaningRecipeInput!) {
    createCleaningRecipe(input: $input) { ...CleaningRecipeFields }
  }
`);

export const RUN_RECIPE = graphql(`
  mutation RunCleaningRecipe($recipeId: ID!) {
    runCleaningRecipe(recipeId: $recipeId) { id status progress message error outputIds }
  }
`);

export const JOB_QUERY = graphql(`
  query CleaningJob($id: ID!) {
    job(id: $id) { id status progress message error outputIds }
  }
`);

export type CleaningRecipe = CleaningRecipeFieldsFragment;
export type RecipeRun = CleaningRecipe["runs"][number];
export type StepReport = NonNullable<RecipeRun["cleaningReport"]>[number];
export type CleaningDataset = NonNullable<CleaningPageQuery["dataset"]>;
export type VersionColumn = NonNullable<CleaningDataset["latestVersion"]>["columns"][number];
export type RunJob = RunCleaningRecipeMutation["runCleaningRecipe"];
