import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { audienceForItems, lookalikeAudience } from "./audience-ranking.service.ts";
import { exportRankedAudience } from "./audiences.service.ts";

export const audiencesResolvers: Resolvers = {
  Query: {
    audienceForItems: (_parent, args, { principal, deps }) => {
      assertCan(principal, "audiences:read");
      return audienceForItems(deps, args.input);
    },
    lookalikeAudience: (_parent, args, { principal, deps }) => {
      assertCan(principal, "audiences:read");
      return lookalikeAudience(deps, args.input);
    },
  },
  Mutation: {
    exportAudience: (_parent, args, { principal, deps }) => {
      assertCan(principal, "audiences:write");
      return exportRankedAudience(deps, principal, args.input);
    },
  },
};
