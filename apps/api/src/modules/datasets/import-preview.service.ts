// The import preview: the columns an import would create (types and roles inferred exactly as the
// ingest job infers them, from the same sample) and its first rows, before anything is written.
import { isColumnRole, type TColumnRole } from "@dam/vocabulary/column-roles";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findDatasetByName } from "./datasets.repository.ts";
import { assertImportRoles } from "./datasets.service.ts";
import { fileSourceFromInput, type TImportSourceInput } from "./import-source-input.ts";
import {
  inheritedRoles,
  readSourceSample,
  schemaOfSample,
  withInheritedRoles,
  ZFileSource,
} from "./ingest.service.ts";

export const DEFAULT_PREVIEW_ROWS = 20;
export const MAX_PREVIEW_ROWS = 100;

export type TImportPreview = {
  columns: {
    source: string;
    name: string;
    type: string;
    role: TColumnRole | null;
    roleInferred: boolean;
    roleInherited: boolean;
    nullable: boolean;
  }[];
  rows: (string | null)[][];
  sampledRows: number;
};

export const previewImport = async (
  deps: TDeps,
  input: TImportSourceInput & { first?: number | null; name?: string | null },
): Promise<TImportPreview> => {
  const first = input.first ?? DEFAULT_PREVIEW_ROWS;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PREVIEW_ROWS) {
    throw new AppError("BAD_USER_INPUT", `first: between 1 and ${MAX_PREVIEW_ROWS}`, { field: "first" });
  }
  const given = ZFileSource.parse(await fileSourceFromInput(deps, input));
  await assertImportRoles(given);
  const dataset = input.name ? await findDatasetByName(deps.db, input.name) : null;
  const inherited = dataset ? await inheritedRoles(deps, dataset.id) : {};
  const source = { types: given.types, roles: withInheritedRoles(given.roles, inherited) };
  const sample = await readSourceSample(given).catch((error: Error) => {
    throw new AppError("BAD_USER_INPUT", `uploadIds: ${error.message}`, { field: "uploadIds" });
  });
  let columns: ReturnType<typeof schemaOfSample>;
  try {
    columns = schemaOfSample(source, sample);
  } catch (error) {
    throw new AppError("BAD_USER_INPUT", `uploadIds: ${(error as Error).message}`, { field: "uploadIds" });
  }
  return {
    columns: columns.map((column) => ({
      source: column.source,
      name: column.name,
      type: column.type,
      role: column.role !== null && isColumnRole(column.role) ? column.role : null,
      roleInferred: column.role !== null && !(column.source in source.roles),
      roleInherited: given.roles[column.source] === undefined && column.source in source.roles,
      nullable: column.nullable,
    })),
    rows: sample.rows
      .slice(0, first)
      .map((row) => columns.map((_, index) => ((row[index] ?? "") === "" ? null : (row[index] as string)))),
    sampledRows: sample.rows.length,
  };
};
