import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { previewVersionRows } from "./version-rows.service.ts";

export const versionRowsResolvers: Resolvers = {
  Query: {
    versionRows: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return previewVersionRows(deps, args.versionId, {
        first: args.first ?? 50,
        offset: args.offset ?? 0,
        sortBy: args.sortBy,
        descending: args.descending,
        filterColumn: args.filterColumn,
        filter: args.filter,
      });
    },
  },
};
