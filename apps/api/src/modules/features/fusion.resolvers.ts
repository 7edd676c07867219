import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { buildFeatureSet, findFeatureSet, findFeatureSets } from "./fusion.service.ts";
import type { TFusionBlock } from "./fusion-matrix.ts";

export const fusionResolvers: Resolvers = {
  Query: {
    featureSets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findFeatureSets(deps, { name: args.name, first: checkPageSize(args.first), after: args.after });
    },
    featureSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findFeatureSet(deps, args.id);
    },
  },
  Mutation: {
    buildFeatureSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return buildFeatureSet(deps, principal, args);
    },
  },
  FeatureSet: {
    blocks: (set) => (set.recipe as { blocks?: TFusionBlock[] }).blocks ?? [],
  },
};
