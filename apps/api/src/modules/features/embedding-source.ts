import type { TDeps } from "../../deps.ts";
import { checkUsableVersion } from "../datasets/usable-version.service.ts";
import { compileTemplate, type TCompiledTemplate, ZTemplateColumn } from "./embedding-template.ts";

/** What an embedding run reads: the version's table, its item id column and the compiled template. */
export type TCatalogSource = {
  versionId: string;
  table: string;
  label: string;
  itemColumn: string;
  titleColumn: string | null;
  template: TCompiledTemplate;
};

export type TCatalogSourceResult =
  | { ok: true; source: TCatalogSource }
  | { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED" | "BAD_USER_INPUT"; message: string };

export const readCatalogSource = async (
  deps: TDeps,
  versionId: string,
  template: string,
): Promise<TCatalogSourceResult> => {
  const read = await checkUsableVersion(deps, versionId, { column: ZTemplateColumn, roles: ["itemId"] });
  if (!read.ok) return read;
  const { version, label, columns } = read;
  const itemColumn = read.byRole("itemId")!.name;
  const compiled = compileTemplate(template, columns);
  if (!compiled.ok) return { ok: false, code: "BAD_USER_INPUT", message: compiled.message };
  return {
    ok: true,
    source: {
      versionId,
      table: version.tableName,
      label,
      itemColumn,
      titleColumn: columns.find((column) => column.role === "title")?.name ?? null,
      template: compiled.compiled,
    },
  };
};
