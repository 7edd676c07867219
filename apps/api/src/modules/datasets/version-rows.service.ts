import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { storedColumnRole } from "./column-roles.ts";
import { findVersionWithDataset } from "./datasets.repository.ts";
import { countFilteredRows, readRowsPage } from "./version-rows.repository.ts";

type TStoredColumn = { name: string; type: string; nullable?: boolean; role?: string | null };

export const MAX_PREVIEW_ROWS = 200;
// Deep offsets cost a scan of everything skipped; past this, filter or download instead.
export const MAX_PREVIEW_OFFSET = 100_000;

/** A cell as text: numbers as JavaScript prints them (shortest round-trip), timestamps as ISO-8601 UTC. */
export const cellText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
};

/** A cell as a JSON value of its column's type (64-bit integers beyond 2^53 stay strings, exact). */
export const cellJson = (value: unknown, type: string): unknown => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (type === "integer") {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : String(value);
  }
  return value;
};

/** A READY version with its columns, or NOT_FOUND / PRECONDITION_FAILED naming why it cannot be read. */
export const findReadableVersion = async (deps: TDeps, versionId: string) => {
  const version = /^[0-9a-f-]{36}$/i.test(versionId)
    ? await findVersionWithDataset(deps.db, versionId)
    : null;
  if (!version) throw new AppError("NOT_FOUND", `versionId: no version ${versionId}`, { field: "versionId" });
  if (version.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${version.dataset.name} v${version.number} is ${version.status}; only READY versions have rows to read`,
      { field: "versionId" },
    );
  }
  const columns = ((version.schema as TStoredColumn[] | null) ?? []).map((column) => ({
    name: column.name,
    type: column.type,
    nullable: column.nullable ?? true,
    role: storedColumnRole(column.role),
  }));
  return { version, columns };
};

export type TPreviewArgs = {
  first: number;
  offset: number;
  sortBy?: string | null;
  descending?: boolean | null;
  filterColumn?: string | null;
  filter?: string | null;
};

const assertColumn = (columns: { name: string }[], name: string, field: string) => {
  if (!columns.some((column) => column.name === name)) {
    throw new AppError(
      "BAD_USER_INPUT",
      `${field}: "${name}" is not a column (columns: ${columns.map((column) => column.name).join(", ")})`,
      { field },
    );
  }
};

/** A page of a version's rows for the console and the CLI: sorted, filtered, offset-paged. */
export const previewVersionRows = async (deps: TDeps, versionId: string, args: TPreviewArgs) => {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PREVIEW_ROWS) {
    throw new AppError("BAD_USER_INPUT", `first: between 1 and ${MAX_PREVIEW_ROWS}`, { field: "first" });
  }
  if (!Number.isInteger(args.offset) || args.offset < 0 || args.offset > MAX_PREVIEW_OFFSET) {
    throw new AppError("BAD_USER_INPUT", `offset: between 0 and ${MAX_PREVIEW_OFFSET}`, { field: "offset" });
  }
  const { version, columns } = await findReadableVersion(deps, versionId);
  if (args.sortBy) assertColumn(columns, args.sortBy, "sortBy");
  const text = args.filter ?? "";
  if (text !== "" && !args.filterColumn) {
    throw new AppError("BAD_USER_INPUT", "filterColumn: name the column the filter applies to", {
      field: "filterColumn",
    });
  }
  if (text.length > 200 || text.includes("\u0000")) {
    throw new AppError("BAD_USER_INPUT", "filter: up to 200 characters, no NUL", { field: "filter" });
  }
  if (args.filterColumn) assertColumn(columns, args.filterColumn, "filterColumn");
  const filter = text !== "" && args.filterColumn ? { column: args.filterColumn, text } : null;
  const rows = await readRowsPage(deps.pool, {
    table: version.tableName,
    columns: columns.map((column) => column.name),
    sort: args.sortBy ? { column: args.sortBy, descending: args.descending ?? false } : null,
    filter,
    offset: args.offset,
    limit: args.first,
  });
  const totalCount = filter
    ? await countFilteredRows(deps.pool, version.tableName, filter)
    : Number(version.rowCount);
  return {
    columns,
    offset: args.offset,
    totalCount,
    rows: rows.map((row) => ({
      line: Number(row._line),
      cells: columns.map((column) => cellText(row[column.name])),
    })),
  };
};
