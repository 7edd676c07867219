import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { createFileImport } from "./datasets.service.ts";
import { fileSourceFromInput } from "./import-source-input.ts";

export const importResolvers: Resolvers = {
  Mutation: {
    importDataset: async (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "catalog:write");
      const source = await fileSourceFromInput(deps, input);
      const { dataset, version, job } = await createFileImport(deps, principal, {
        name: input.name,
        kind: input.kind,
        description: input.description ?? undefined,
        tags: input.tags ?? undefined,
        source: {
          ...source,
          // Columns hashed or dropped on the way in (privacy/import-pseudonymise.service.ts).
          pseudonymise: Object.fromEntries(
            (input.pseudonymise ?? []).map((entry) => [
              entry.column,
              {
                mode: entry.mode === "DROP" ? ("drop" as const) : ("hash" as const),
                ...(entry.piiType ? { piiType: entry.piiType } : {}),
              },
            ]),
          ),
        },
      });
      return { dataset: { ...dataset, owner: null }, version, job };
    },
  },
};
