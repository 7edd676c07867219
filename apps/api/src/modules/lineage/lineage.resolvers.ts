import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { findImpact, findLineage } from "./lineage-query.service.ts";

export const lineageResolvers: Resolvers = {
  Query: {
    lineage: (_parent, args, { principal, deps }) => {
      assertCan(principal, "lineage:read");
      return findLineage(deps, { id: args.id, direction: args.direction, depth: args.depth ?? 3 });
    },
    impact: (_parent, args, { principal, deps }) => {
      assertCan(principal, "lineage:read");
      return findImpact(deps, args.versionId);
    },
  },
};
