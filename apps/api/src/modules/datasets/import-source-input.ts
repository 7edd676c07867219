// The file-reading part of an import as the API receives it (uploads, format, delimiter, encoding,
// header, roles, types), checked and turned into the ingest job's source. The import and its preview
// read the same input the same way, so the preview shows what the import will do.
import { COLUMN_TYPES, isColumnType, type TColumnType } from "@dam/vocabulary/column-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { ColumnRole, ImportEncoding, ImportFormat } from "../../generated/graphql.ts";
import type { TFileSource } from "./ingest.service.ts";
import { resolveUploads } from "./upload.service.ts";

export type TImportSourceInput = {
  uploadIds: string[];
  format?: ImportFormat | null;
  delimiter?: string | null;
  encoding?: ImportEncoding | null;
  strictUtf8?: boolean | null;
  header?: boolean | null;
  roles?: { column: string; role: ColumnRole }[] | null;
  types?: { column: string; type: string }[] | null;
};

/** The ingest source of an import input; BAD_USER_INPUT naming the field when it cannot be read. */
export const fileSourceFromInput = async (deps: TDeps, input: TImportSourceInput): Promise<TFileSource> => {
  if (input.uploadIds.length === 0) {
    throw new AppError("BAD_USER_INPUT", "uploadIds: name at least one uploaded file", {
      field: "uploadIds",
    });
  }
  if (input.delimiter !== undefined && input.delimiter !== null && input.delimiter.length !== 1) {
    throw new AppError("BAD_USER_INPUT", "delimiter: must be exactly one character", { field: "delimiter" });
  }
  const types: Record<string, TColumnType> = {};
  for (const [index, entry] of (input.types ?? []).entries()) {
    if (!isColumnType(entry.type)) {
      throw new AppError(
        "BAD_USER_INPUT",
        `types[${index}].type: "${entry.type}" is not one of ${COLUMN_TYPES.join(", ")}`,
        { field: `types[${index}].type` },
      );
    }
    types[entry.column] = entry.type;
  }
  const uploads = await resolveUploads(deps, input.uploadIds);
  return {
    paths: uploads.map((upload) => upload.path),
    format: input.format === "JSONL" ? "jsonl" : "csv",
    delimiter: input.delimiter ?? undefined,
    encoding: input.encoding === "LATIN1" ? "latin1" : "utf8",
    strictUtf8: input.strictUtf8 ?? false,
    header: input.header ?? true,
    roles: Object.fromEntries((input.roles ?? []).map((entry) => [entry.column, entry.role])),
    types,
  };
};
