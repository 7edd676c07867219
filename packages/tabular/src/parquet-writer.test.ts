import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { parquetCell, type TParquetColumn, writeParquet } from "./parquet-writer.ts";

const COLUMNS: TParquetColumn[] = [
  { name: "item_id", type: "text" },
  { name: "quantity", type: "integer" },
  { name: "price", type: "decimal" },
  { name: "in_stock", type: "boolean" },
  { name: "seen_at", type: "timestamp" },
];

async function* rowsOf(rows: Record<string, unknown>[]) {
  for (const row of rows) yield row;
}

/** Writes rows through writeParquet and returns the whole file and the chunks the sink received. */
const write = async (rows: Record<string, unknown>[], rowGroupRows?: number) => {
  const chunks: Uint8Array[] = [];
  await writeParquet({
    columns: COLUMNS,
    rows: rowsOf(rows),
    sink: async (bytes) => {
      chunks.push(bytes);
    },
    ...(rowGroupRows ? { rowGroupRows } : {}),
  });
  const file = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    file.set(chunk, at);
    at += chunk.length;
  }
  return { file: file.buffer, chunks };
};

describe("writeParquet", () => {
  it("writes every row with its column's type and reads back exactly", async () => {
    // As PostgreSQL's driver returns them: bigint as a string, double as a number, timestamptz as a Date.
    const rows = [
      {
        item_id: "A-1",
        quantity: "9007199254740993",
        price: 9.48,
        in_stock: true,
        seen_at: new Date("2026-01-02T03:04:05.678Z"),
      },
      { item_id: null, quantity: null, price: null, in_stock: null, seen_at: null },
      { item_id: "Ünïcödé ☕", quantity: "-3", price: 0.1, in_stock: false, seen_at: new Date(0) },
    ];
    const { file } = await write(rows);
    const back = await parquetReadObjects({ file });
    expect(back).toEqual([
      {
        item_id: "A-1",
        quantity: 9007199254740993n,
        price: 9.48,
        in_stock: true,
        seen_at: new Date("2026-01-02T03:04:05.678Z"),
      },
      { item_id: null, quantity: null, price: null, in_stock: null, seen_at: null },
      { item_id: "Ünïcödé ☕", quantity: -3n, price: 0.1, in_stock: false, seen_at: new Date(0) },
    ]);
    const metadata = parquetMetadata(file);
    expect(metadata.schema.map((s) => s.name)).toEqual(["root", ...COLUMNS.map((c) => c.name)]);
    expect(metadata.created_by).toBe("dam-platform");
  });

  it("splits large versions into row groups and streams them in several chunks", async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      item_id: `item-${i}-${"x".repeat(i % 40)}`,
      quantity: String(i),
      price: i / 7,
      in_stock: i % 3 === 0,
      seen_at: new Date(1_700_000_000_000 + i * 1000),
    }));
    const { file, chunks } = await write(rows, 10_000);
    expect(parquetMetadata(file).row_groups).toHaveLength(5);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    const back = await parquetReadObjects({ file, rowStart: 49_998, rowEnd: 50_000 });
    expect(back.map((r) => r.quantity)).toEqual([49_998n, 49_999n]);
    expect(back[1]!.price).toBeCloseTo(49_999 / 7, 12);
  });

  it("writes a valid empty file for a version without rows", async () => {
    const { file } = await write([]);
    expect(Number(parquetMetadata(file).num_rows)).toBe(0);
    expect(await parquetReadObjects({ file })).toEqual([]);
  });

  it("turns cells that do not fit their type into nulls instead of failing the file", () => {
    expect(parquetCell("12.5", "integer")).toBeNull();
    expect(parquetCell("nope", "decimal")).toBeNull();
    expect(parquetCell("not a date", "timestamp")).toBeNull();
    expect(parquetCell("maybe", "boolean")).toBeNull();
    expect(parquetCell(42, "text")).toBe("42");
  });
});
