import type { Resolvers } from "../../generated/graphql.ts";
import { checkPageSize } from "../core/pagination.ts";
import { createApiKey, findApiKeys, revokeApiKey } from "./auth.service.ts";
import { createConsoleSession, endConsoleSession } from "./console-session.service.ts";
import { assertCan, type TPrincipal } from "./permissions.ts";

const toViewer = (principal: TPrincipal) => ({
  keyId: principal.keyId,
  name: principal.name,
  role: principal.role,
  keyPrefix: principal.keyPrefix,
});

export const authResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, { principal }) => toViewer(principal),
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
    signIn: async (_parent, _args, { principal, deps }) => ({
      ...(await createConsoleSession(deps, principal)),
      viewer: toViewer(principal),
    }),
    signOut: (_parent, _args, { principal, deps }) => endConsoleSession(deps.db, principal),
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
