import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { assertNotProbingMasked, maskCells } from "../privacy/json-masking.ts";
import { maskerFor } from "../privacy/pii-masking.service.ts";
import { previewVersionRows } from "./version-rows.service.ts";

export const versionRowsResolvers: Resolvers = {
  Query: {
    versionRows: async (_parent, args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      // Values of PII-tagged columns go out masked to callers without pii:read (privacy module).
      const masker = /^[0-9a-f-]{36}$/i.test(args.versionId)
        ? await maskerFor(deps, principal, [args.versionId])
        : null;
      if (masker) assertNotProbingMasked(masker, args);
      const page = await previewVersionRows(deps, args.versionId, {
        first: args.first ?? 50,
        offset: args.offset ?? 0,
        sortBy: args.sortBy,
        descending: args.descending,
        filterColumn: args.filterColumn,
        filter: args.filter,
      });
      if (!masker) return page;
      const names = page.columns.map((column) => column.name);
      return {
        ...page,
        rows: page.rows.map((row) => ({ ...row, cells: maskCells(row.cells, names, masker) })),
      };
    },
  },
};
