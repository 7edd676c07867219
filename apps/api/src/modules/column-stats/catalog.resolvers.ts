import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { updateDataset } from "./catalog.service.ts";

export const catalogResolvers: Resolvers = {
  Mutation: {
    updateDataset: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:write");
      return updateDataset(deps, principal, { id: args.id, ...args.input });
    },
  },
};
