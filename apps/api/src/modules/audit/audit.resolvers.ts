import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { findAuditEvents } from "./audit.service.ts";

export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: (_parent, args, { principal, deps }) => {
      assertCan(principal, "audit:read");
      return findAuditEvents(deps.db, {
        first: checkPageSize(args.first, 50),
        after: args.after,
        targetType: args.targetType,
      });
    },
  },
};
