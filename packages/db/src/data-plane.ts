import { createHash } from "node:crypto";
import { sqlTypeOf, type TColumnType } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

// The data plane: each dataset version's rows live in their own table in schema `data`, created and
// bulk-loaded with SQL. Prisma never touches these tables; the metadata points at them by name.

export type TDataColumn = { name: string; type: TColumnType };
export type TCell = string | number | boolean | Date | null;

export const DATA_SCHEMA = "data";
// Source line of each row: rejects, quality samples and cleaning steps all point back to the file.
export const LINE_COLUMN = "_line";

/** PostgreSQL's limit on the columns of a table (MaxHeapAttributeNumber). */
export const MAX_TABLE_COLUMNS = 1_600;
/** Columns a version table can hold besides `_line`. */
export const MAX_DATA_COLUMNS = MAX_TABLE_COLUMNS - 1;

export const qualifiedTable = (table: string): string => `${quoteIdent(DATA_SCHEMA)}.${quoteIdent(table)}`;

export const versionTableName = (versionId: string): string => `v_${versionId.replaceAll("-", "")}`;

/** Makes a header into a safe, readable SQL column name: lower snake case, never empty, never reserved-looking. */
export const toColumnName = (header: string, index: number): string => {
  const base = header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);
  if (base === "" || /^[0-9]/.test(base)) return `col_${index + 1}${base ? `_${base}` : ""}`;
  return base === LINE_COLUMN.slice(1) ? `${base}_` : base;
};

export const createVersionTable = async (
  pool: pg.Pool,
  table: string,
  columns: TDataColumn[],
): Promise<void> => {
  const defs = columns.map((column) => `${quoteIdent(column.name)} ${sqlTypeOf(column.type)}`);
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(DATA_SCHEMA)}`);
  await pool.query(`DROP TABLE IF EXISTS ${qualifiedTable(table)}`);
  await pool.query(
    `CREATE TABLE ${qualifiedTable(table)} (${quoteIdent(LINE_COLUMN)} bigint NOT NULL, ${defs.join(", ")})`,
  );
};

export const dropVersionTable = async (pool: pg.Pool, table: string): Promise<void> => {
  await pool.query(`DROP TABLE IF EXISTS ${qualifiedTable(table)}`);
};

export const countRows = async (pool: pg.Pool, table: string): Promise<number> => {
  const result = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualifiedTable(table)}`);
  return Number(result.rows[0]?.n ?? 0);
};

// COPY text format: backslash escapes for the four characters that would break a field or a row.
const escapeCopy = (value: string): string =>
  value.replace(/[\\\t\n\r]/g, (char) =>
    char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r",
  );

const copyCell = (value: TCell | undefined): string => {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return escapeCopy(value);
};

/**
 * Loads a batch with COPY FROM STDIN: on a real PostgreSQL server the fastest way in (several times
 * faster than INSERT), on the embedded server as on any other.
 */
export const copyRows = async (
  pool: pg.Pool,
  table: string,
  columns: TDataColumn[],
  lines: number[],
  rows: TCell[][],
): Promise<void> => {
  if (rows.length === 0) return;
  const names = [LINE_COLUMN, ...columns.map((column) => column.name)].map(quoteIdent).join(", ");
  const parts: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    let line = String(lines[r]);
    for (let c = 0; c < columns.length; c++) line += `\t${copyCell(row[c])}`;
    parts.push(line);
  }
  const client = await pool.connect();
  try {
    const stream = client.query(
      copyFrom(`COPY ${qualifiedTable(table)} (${names}) FROM STDIN WITH (FORMAT text)`),
    );
    await new Promise<void>((resolve, reject) => {
      stream.on("error", reject);
      stream.on("finish", () => resolve());
      stream.end(`${parts.join("\n")}\n`);
    });
  } finally {
    client.release();
  }
};

/** Deterministic name of the index on a version table's key columns (at most 63 bytes). */
export const keyIndexName = (table: string, columns: string[]): string =>
  `${table.slice(0, 40)}_k_${createHash("sha256").update(columns.join("\u0000")).digest("hex").slice(0, 12)}`;

/**
 * B-tree indexes on declared key column sets of a version table, so a duplicate check reads the keys
 * in order from the index instead of hashing or sorting the table. Only missing indexes are built;
 * after a build the table is vacuumed and analysed (the visibility map lets the check use an
 * index-only scan, the statistics let the planner choose it). Returns the number built.
 */
export const indexKeyColumns = async (pool: pg.Pool, table: string, keys: string[][]): Promise<number> => {
  const existing = await pool.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2",
    [DATA_SCHEMA, table],
  );
  const have = new Set(existing.rows.map((row) => row.indexname));
  let built = 0;
  for (const columns of keys) {
    const name = keyIndexName(table, columns);
    if (columns.length === 0 || have.has(name)) continue;
    have.add(name);
    await pool.query(
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${qualifiedTable(table)} (${columns.map(quoteIdent).join(", ")})`,
    );
    built++;
  }
  if (built > 0) await pool.query(`VACUUM (ANALYZE) ${qualifiedTable(table)}`);
  return built;
};
