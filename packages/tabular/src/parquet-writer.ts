// Rows of a dataset version as an Apache Parquet file, written row group by row group through a
// callback (an HTTP response, a file), so memory holds one row group whatever the version's size.
// The encoding is hyparquet-writer's (dictionary + snappy, statistics); this file owns the mapping from
// the product's column types to Parquet's logical types and the cell conversions.
import type { TColumnType } from "@dam/vocabulary/column-types";
import { ByteWriter, parquetWriteRows, type Writer } from "hyparquet-writer";

export type TParquetColumn = { name: string; type: TColumnType };

/** Rows per row group: large enough for good compression, small enough to keep memory flat. */
export const PARQUET_ROW_GROUP_ROWS = 16_384;

/** Bytes buffered before they are handed to the sink (the writer also flushes after every row group). */
const CHUNK_BYTES = 1 << 20;

// integer columns are bigint in PostgreSQL (shop ids and counts pass 2^31): INT64 exactly; decimal
// columns are double precision; timestamps are UTC instants (milliseconds, as PostgreSQL's driver
// returns them).
const BASIC_TYPE = {
  integer: "INT64",
  decimal: "DOUBLE",
  boolean: "BOOLEAN",
  timestamp: "TIMESTAMP",
  text: "STRING",
} as const satisfies Record<TColumnType, string>;

const toBigInt = (value: unknown): bigint | null => {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : null;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return null;
};

const toNumber = (value: unknown): number | null => {
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
};

const toDate = (value: unknown): Date | null => {
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
};

const toBoolean = (value: unknown): boolean | null => {
  if (typeof value === "boolean") return value;
  if (value === "t" || value === "true") return true;
  if (value === "f" || value === "false") return false;
  return null;
};

/** One cell as the Parquet value of its column type (null when the cell is empty or does not convert). */
export const parquetCell = (value: unknown, type: TColumnType): unknown => {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "integer":
      return toBigInt(value);
    case "decimal":
      return toNumber(value);
    case "boolean":
      return toBoolean(value);
    case "timestamp":
      return toDate(value);
    case "text":
      return value instanceof Date ? value.toISOString() : String(value);
  }
};

/**
 * Writes `rows` (objects keyed by column name, as the database returns them) as one Parquet file,
 * handing the bytes to `sink` in order. The sink's promise is awaited before more rows are read, so a
 * slow consumer slows the reads. Every column is nullable.
 */
export const writeParquet = async (options: {
  columns: TParquetColumn[];
  rows: AsyncIterable<Record<string, unknown>>;
  sink: (bytes: Uint8Array) => Promise<void>;
  createdBy?: string;
  rowGroupRows?: number;
}): Promise<void> => {
  const { columns, sink } = options;
  const writer: ByteWriter & Writer = new ByteWriter();
  let pending: Promise<void> = Promise.resolve();
  const flush = async () => {
    await pending;
    if (writer.index === 0) return;
    // A copy: the writer reuses its buffer for the next bytes.
    const bytes = new Uint8Array(writer.buffer.slice(0, writer.index));
    writer.index = 0;
    await sink(bytes);
  };
  const grow = writer.ensure.bind(writer);
  // Hand full chunks to the sink while a row group is encoded (the writer's own flush runs after each
  // row group): hyparquet-writer tracks file offsets in `offset`, which keeps counting across resets.
  writer.ensure = (size: number) => {
    if (writer.index > CHUNK_BYTES) {
      const bytes = new Uint8Array(writer.buffer.slice(0, writer.index));
      writer.index = 0;
      pending = pending.then(() => sink(bytes));
    }
    grow(size);
  };
  writer.flush = flush;
  writer.finish = flush;
  async function* converted(): AsyncGenerator<Record<string, unknown>> {
    for await (const row of options.rows) {
      const out: Record<string, unknown> = {};
      for (const column of columns) out[column.name] = parquetCell(row[column.name], column.type);
      yield out;
    }
  }
  await parquetWriteRows({
    writer,
    rows: converted(),
    columns: columns.map((column) => ({ name: column.name, type: BASIC_TYPE[column.type], nullable: true })),
    rowGroupSize: options.rowGroupRows ?? PARQUET_ROW_GROUP_ROWS,
    createdBy: options.createdBy ?? "dam-platform",
  });
  await writer.finish();
};
