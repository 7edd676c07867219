import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import {
  findRejectedRows,
  findSchemaDiff,
  findVersion,
  readVersionProfile,
  rejectsDownloadPath,
  requestVersionProfile,
} from "./profiling.service.ts";

const toColumn = (column: { name: string; type: string; nullable?: boolean; role?: string | null }) => ({
  name: column.name,
  type: column.type,
  nullable: column.nullable ?? true,
  role: column.role ?? null,
});

export const profilingResolvers: Resolvers = {
  Query: {
    datasetVersion: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return findVersion(deps, args.id);
    },
  },
  Mutation: {
    profileVersion: (_parent, args, { principal, deps }) => {
      assertCan(principal, "profiling:run");
      return requestVersionProfile(deps, principal, args.versionId);
    },
  },
  DatasetVersion: {
    profile: (version) => {
      const profile = readVersionProfile(version);
      return profile ? { ...profile, computedAt: new Date(profile.computedAt) } : null;
    },
    schemaDiff: async (version, _args, { deps }) => {
      const diff = await findSchemaDiff(deps, version);
      return diff ? { ...diff, added: diff.added.map(toColumn), removed: diff.removed.map(toColumn) } : null;
    },
    rejectedRows: (version, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return findRejectedRows(deps, version.id, { first: checkPageSize(args.first, 50), after: args.after });
    },
    rejectsDownloadPath: (version) => rejectsDownloadPath(version.id),
  },
};
