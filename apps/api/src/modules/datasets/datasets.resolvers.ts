import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { storedColumnRole } from "./column-roles.ts";
import { findDataset, findDatasets, findLatestReadyVersion, findVersions } from "./datasets.service.ts";

type TStoredColumn = { name: string; type: string; nullable?: boolean; role?: string | null };

export const datasetsResolvers: Resolvers = {
  Query: {
    datasets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return findDatasets(deps, {
        first: checkPageSize(args.first),
        after: args.after,
        kind: args.kind,
        search: args.search,
      });
    },
    dataset: (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return findDataset(deps, args.id);
    },
  },
  Dataset: {
    owner: (dataset) => dataset.owner?.name ?? null,
    latestVersion: (dataset, _args, { deps }) => findLatestReadyVersion(deps, dataset.id),
    versions: (dataset, _args, { deps }) => findVersions(deps, dataset.id),
  },
  DatasetVersion: {
    rowCount: (version) => Number(version.rowCount),
    rejectedCount: (version) => Number(version.rejectedCount),
    columns: (version) =>
      ((version.schema as TStoredColumn[] | null) ?? []).map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.nullable ?? true,
        role: storedColumnRole(column.role),
      })),
  },
};
