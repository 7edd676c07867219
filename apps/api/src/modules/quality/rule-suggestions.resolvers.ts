import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { acceptSuggestedRules, findSuggestedRules } from "./rule-suggestions.service.ts";

export const ruleSuggestionsResolvers: Resolvers = {
  Query: {
    suggestedQualityRules: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:read");
      return findSuggestedRules(deps, args.versionId);
    },
  },
  Mutation: {
    acceptSuggestedQualityRules: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return acceptSuggestedRules(deps, principal, args.versionId, args.names);
    },
  },
};
