import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { extractAttributes } from "./attributes.service.ts";

export const attributesResolvers: Resolvers = {
  Mutation: {
    extractAttributes: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return extractAttributes(deps, principal, args.input);
    },
  },
};
