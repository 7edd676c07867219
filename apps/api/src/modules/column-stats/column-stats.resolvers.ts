import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { storedColumnRole } from "../datasets/column-roles.ts";
import { maskerFor } from "../privacy/pii-masking.service.ts";
import { maskVersionProfile } from "../privacy/profile-masking.ts";
import { maskRejectedRow, versionColumnNames } from "../privacy/rejects-masking.ts";
import {
  findRejectedRows,
  findSchemaDiff,
  findVersion,
  readVersionProfile,
  rejectsDownloadPath,
  requestVersionProfile,
} from "./column-stats.service.ts";

const toColumn = (column: { name: string; type: string; nullable?: boolean; role?: string | null }) => ({
  name: column.name,
  type: column.type,
  nullable: column.nullable ?? true,
  role: storedColumnRole(column.role),
});

export const columnStatsResolvers: Resolvers = {
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
    profile: async (version, _args, { principal, deps }) => {
      const stored = readVersionProfile(version);
      if (!stored) return null;
      const masker = await maskerFor(deps, principal, [version.id]);
      const profile = masker ? maskVersionProfile(stored, masker) : stored;
      return { ...profile, computedAt: new Date(profile.computedAt) };
    },
    schemaDiff: async (version, _args, { deps }) => {
      const diff = await findSchemaDiff(deps, version);
      return diff ? { ...diff, added: diff.added.map(toColumn), removed: diff.removed.map(toColumn) } : null;
    },
    rejectedRows: async (version, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      const page = await findRejectedRows(deps, version.id, {
        first: checkPageSize(args.first, 50),
        after: args.after,
      });
      const masker = await maskerFor(deps, principal, [version.id]);
      if (!masker) return page;
      const columns = versionColumnNames(version.schema);
      return {
        ...page,
        edges: page.edges.map((e) => ({ ...e, node: maskRejectedRow(e.node, masker, columns) })),
      };
    },
    rejectsDownloadPath: (version) => rejectsDownloadPath(version.id),
  },
};
