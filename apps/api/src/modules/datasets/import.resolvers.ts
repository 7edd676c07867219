import { COLUMN_TYPES } from "@dam/vocabulary/column-types";
import { z } from "zod";
import { AppError } from "../../errors/app-error.ts";
import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { createFileImport } from "./datasets.service.ts";
import { resolveUploads } from "./upload.service.ts";

const ZColumnType = z.enum(COLUMN_TYPES);

export const importResolvers: Resolvers = {
  Mutation: {
    importDataset: async (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "catalog:write");
      if (input.uploadIds.length === 0) {
        throw new AppError("BAD_USER_INPUT", "uploadIds: name at least one uploaded file", {
          field: "uploadIds",
        });
      }
      if (input.delimiter !== undefined && input.delimiter !== null && input.delimiter.length !== 1) {
        throw new AppError("BAD_USER_INPUT", "delimiter: must be exactly one character", {
          field: "delimiter",
        });
      }
      const types: Record<string, z.infer<typeof ZColumnType>> = {};
      for (const [index, entry] of (input.types ?? []).entries()) {
        const parsed = ZColumnType.safeParse(entry.type);
        if (!parsed.success) {
          throw new AppError(
            "BAD_USER_INPUT",
            `types[${index}].type: "${entry.type}" is not one of ${ZColumnType.options.join(", ")}`,
            {
              field: `types[${index}].type`,
            },
          );
        }
        types[entry.column] = parsed.data;
      }
      const uploads = await resolveUploads(deps, input.uploadIds);
      const { dataset, version, job } = await createFileImport(deps, principal, {
        name: input.name,
        kind: input.kind,
        description: input.description ?? undefined,
        tags: input.tags ?? undefined,
        source: {
          paths: uploads.map((upload) => upload.path),
          format: input.format === "JSONL" ? "jsonl" : "csv",
          delimiter: input.delimiter ?? undefined,
          encoding: input.encoding === "LATIN1" ? "latin1" : "utf8",
          strictUtf8: input.strictUtf8 ?? false,
          header: input.header ?? true,
          roles: Object.fromEntries((input.roles ?? []).map((entry) => [entry.column, entry.role])),
          types,
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
