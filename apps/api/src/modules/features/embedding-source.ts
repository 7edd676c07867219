import { z } from "zod";
import type { TDeps } from "../../deps.ts";
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
  const version = await deps.db.datasetVersion.findUnique({
    where: { id: versionId },
    include: { dataset: { select: { name: true } } },
  });
  if (!version)
    return { ok: false, code: "NOT_FOUND", message: `Dataset version ${versionId} does not exist` };
  const label = `${version.dataset.name} v${version.number}`;
  if (version.status !== "READY") {
    return { ok: false, code: "PRECONDITION_FAILED", message: `${label} is ${version.status}, not READY` };
  }
  const columns = z.array(ZTemplateColumn).safeParse(version.schema);
  if (!columns.success) {
    return { ok: false, code: "PRECONDITION_FAILED", message: `${label} has no readable column schema` };
  }
  const itemColumn = columns.data.find((column) => column.role === "itemId")?.name;
  if (!itemColumn) {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `${label} has no column with the role itemId; give the item id column that role on import`,
    };
  }
  const compiled = compileTemplate(template, columns.data);
  if (!compiled.ok) return { ok: false, code: "BAD_USER_INPUT", message: compiled.message };
  return {
    ok: true,
    source: {
      versionId,
      table: version.tableName,
      label,
      itemColumn,
      titleColumn: columns.data.find((column) => column.role === "title")?.name ?? null,
      template: compiled.compiled,
    },
  };
};
