import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool } from "./client.ts";
import { copyRows, createVersionTable, qualifiedTable, type TCell, type TDataColumn } from "./data-plane.ts";
import { createTestDatabase, type TestDatabase } from "./test-db.ts";

let database: TestDatabase;
let pool: ReturnType<typeof createPgPool>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url, 2);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const columns: TDataColumn[] = [
  { name: "id", type: "integer" },
  { name: "title", type: "text" },
  { name: "price", type: "decimal" },
  { name: "ok", type: "boolean" },
  { name: "at", type: "timestamp" },
];
// Every character COPY's text format treats specially, plus NULLs of each type.
const rows: TCell[][] = [
  [1, "tab\there", 2.5, true, new Date("2026-01-02T03:04:05.678Z")],
  [2, "line\nbreak\r\nand \\N backslash", -0.125, false, null],
  [3, null, null, null, new Date("1999-12-31T23:59:59Z")],
  [4, "\\", 1e-7, true, null],
];

describe("data plane loads", () => {
  it("COPY FROM STDIN keeps every value exact", async () => {
    const table = `t_${Math.random().toString(36).slice(2, 10)}`;
    await createVersionTable(pool, table, columns);
    await copyRows(pool, table, columns, [10, 11, 12, 13], rows);
    const result = await pool.query(`SELECT * FROM ${qualifiedTable(table)} ORDER BY _line`);
    expect(
      result.rows.map((row) => [
        Number(row._line),
        row.id === null ? null : Number(row.id),
        row.title,
        row.price,
        row.ok,
        row.at?.toISOString() ?? null,
      ]),
    ).toEqual(
      rows.map((row, i) => [
        10 + i,
        row[0],
        row[1],
        row[2],
        row[3],
        row[4] instanceof Date ? row[4].toISOString() : null,
      ]),
    );
  });
});
