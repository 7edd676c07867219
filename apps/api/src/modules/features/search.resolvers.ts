import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { searchCatalog } from "./search.service.ts";

export const searchResolvers: Resolvers = {
  Query: {
    search: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return searchCatalog(deps, {
        query: args.query,
        first: args.first ?? 10,
        catalogVersionId: args.catalogVersionId,
      });
    },
  },
};
