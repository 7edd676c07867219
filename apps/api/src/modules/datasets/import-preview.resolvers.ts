import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { previewImport } from "./import-preview.service.ts";

export const importPreviewResolvers: Resolvers = {
  Query: {
    importPreview: (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "catalog:write");
      return previewImport(deps, input);
    },
  },
};
