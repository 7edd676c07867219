import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import {
  createCleaningRecipe,
  findCleaningRecipe,
  findCleaningRecipes,
  findRecipeRuns,
  runCleaningRecipe,
  updateCleaningRecipe,
} from "./cleaning.service.ts";
import { dryRunCleaning } from "./cleaning-dry-run.service.ts";
import { readCleaningReport } from "./cleaning-source.ts";

export const cleaningResolvers: Resolvers = {
  Query: {
    cleaningRecipes: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:read");
      return findCleaningRecipes(deps, {
        datasetId: args.datasetId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    cleaningRecipe: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:read");
      return findCleaningRecipe(deps, args.id);
    },
    cleaningDryRun: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:read");
      return dryRunCleaning(deps, args);
    },
  },
  Mutation: {
    createCleaningRecipe: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:write");
      return createCleaningRecipe(deps, principal, args.input);
    },
    updateCleaningRecipe: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:write");
      return updateCleaningRecipe(deps, principal, { id: args.id, ...args.input });
    },
    runCleaningRecipe: (_parent, args, { principal, deps }) => {
      assertCan(principal, "cleaning:write");
      return runCleaningRecipe(deps, principal, args);
    },
  },
  CleaningRecipe: {
    runs: (recipe, args, { deps }) => findRecipeRuns(deps, recipe, checkPageSize(args.first)),
  },
  DatasetVersion: {
    cleaningReport: (version) => readCleaningReport(version.source),
  },
};
