import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { readExperimentResults } from "./experiment-results.service.ts";
import {
  createExperiment,
  findExperiment,
  findExperiments,
  findVariantVersionNumber,
  promoteExperimentWinner,
  startExperiment,
  stopExperiment,
} from "./experiments.service.ts";

export const experimentsResolvers: Resolvers = {
  Query: {
    experiments: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:read");
      return findExperiments(deps, {
        modelName: args.modelName,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    experiment: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:read");
      return findExperiment(deps, args.id);
    },
    experimentResults: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:read");
      return readExperimentResults(deps, args.id);
    },
  },
  Mutation: {
    createExperiment: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:write");
      return createExperiment(deps, principal, args.input);
    },
    startExperiment: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:write");
      return startExperiment(deps, principal, args.id);
    },
    stopExperiment: (_parent, args, { principal, deps }) => {
      assertCan(principal, "experiments:write");
      return stopExperiment(deps, principal, args.id);
    },
    promoteExperimentWinner: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:write");
      return promoteExperimentWinner(deps, principal, args.id, args.variant);
    },
  },
  ExperimentVariant: {
    modelVersion: (parent, _args, { deps }) => findVariantVersionNumber(deps, parent.modelVersionId),
  },
};
