import { COLUMN_ROLES } from "@dam/vocabulary/column-roles";
import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { updateColumnRoles } from "./column-roles.service.ts";

export const columnRolesResolvers: Resolvers = {
  Query: {
    columnRoles: (_parent, _args, { principal }) => {
      assertCan(principal, "catalog:read");
      return [...COLUMN_ROLES];
    },
  },
  Mutation: {
    updateColumnRoles: (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "catalog:write");
      return updateColumnRoles(
        deps,
        principal,
        input.versionId,
        input.roles.map((entry) => ({ column: entry.column, role: entry.role ?? null })),
      );
    },
  },
};
