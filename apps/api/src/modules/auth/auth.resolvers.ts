import type { Resolvers } from "../../generated/graphql.ts";
import { checkPageSize } from "../core/pagination.ts";
import { createApiKey, findApiKeys, revokeApiKey } from "./auth.service.ts";
import { assertCan } from "./permissions.ts";

export const authResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, { principal }) => ({
      keyId: principal.keyId,
      name: principal.name,
      role: principal.role,
      keyPrefix: principal.keyPrefix,
    }),
    apiKeys: (_parent, args, { principal, deps }) => {
      assertCan(principal, "keys:manage");
      return findApiKeys(deps.db, {
        first: checkPageSize(args.first),
        after: args.after,
        includeRevoked: args.includeRevoked ?? false,
      });
    },
  },
  Mutation: {
    createApiKey: (_parent, args, { principal, deps }) => {
      assertCan(principal, "keys:manage");
      return createApiKey(deps.db, principal, { name: args.name, role: args.role });
    },
    revokeApiKey: (_parent, args, { principal, deps }) => {
      assertCan(principal, "keys:manage");
      return revokeApiKey(deps, principal, args.id);
    },
  },
};
