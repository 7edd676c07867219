import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let versionId: string;

const PREVIEW = `query($v: ID!, $first: Int, $offset: Int, $sortBy: String, $descending: Boolean, $filterColumn: String, $filter: String) {
  versionRows(versionId: $v, first: $first, offset: $offset, sortBy: $sortBy, descending: $descending,
              filterColumn: $filterColumn, filter: $filter) {
    columns { name type role } offset totalCount rows { line cells } } }`;

type TPage = {
  versionRows: {
    columns: { name: string }[];
    totalCount: number;
    rows: { line: number; cells: (string | null)[] }[];
  };
};

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  const dir = await mkdtemp(path.join(tmpdir(), "dam-rows-"));
  const lines = ["item_id,title,price,added"];
  for (let i = 1; i <= 2_500; i++) {
    lines.push(
      `P${i},"Mug, ${i % 2 === 0 ? "blue" : "red"}",${i === 7 ? "" : (i * 0.1 + 9.38).toFixed(2)},2026-01-01T00:00:00Z`,
    );
  }
  await writeFile(path.join(dir, "items.csv"), lines.join("\n"));
  const imported = await importAndWait(stack, {
    name: "rows_items",
    kind: "CATALOG",
    source: { paths: [path.join(dir, "items.csv")], format: "csv", roles: {}, types: {} },
  });
  versionId = imported.version.id;
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const download = (format: string, token: string | null = ADMIN_TOKEN) =>
  fetch(`${stack.url}/api/v1/versions/${versionId}/rows.${format}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("version rows", () => {
  it("are previewed in pages, sorted and filtered, with exact decimals", async () => {
    const first = await stack.gql<TPage>(PREVIEW, { v: versionId, first: 3 });
    expect(first.errors).toBeUndefined();
    const page = first.data?.versionRows;
    expect(page?.columns.map((column) => column.name)).toEqual(["item_id", "title", "price", "added"]);
    expect(page?.totalCount).toBe(2_500);
    expect(page?.rows).toEqual([
      { line: 2, cells: ["P1", "Mug, red", "9.48", "2026-01-01T00:00:00.000Z"] },
      { line: 3, cells: ["P2", "Mug, blue", "9.58", "2026-01-01T00:00:00.000Z"] },
      { line: 4, cells: ["P3", "Mug, red", "9.68", "2026-01-01T00:00:00.000Z"] },
    ]);
    const sorted = await stack.gql<TPage>(PREVIEW, {
      v: versionId,
      first: 2,
      sortBy: "price",
      descending: true,
    });
    expect(sorted.data?.versionRows.rows.map((row) => row.cells[0])).toEqual(["P2500", "P2499"]);
    const filtered = await stack.gql<TPage>(PREVIEW, {
      v: versionId,
      first: 2,
      offset: 1,
      filterColumn: "title",
      filter: "BLUE",
    });
    expect(filtered.data?.versionRows.totalCount).toBe(1_250);
    expect(filtered.data?.versionRows.rows.map((row) => row.cells[0])).toEqual(["P4", "P6"]);
    const literal = await stack.gql<TPage>(PREVIEW, { v: versionId, filterColumn: "title", filter: "%" });
    expect(literal.data?.versionRows.totalCount).toBe(0);
  });

  it("refuses unknown columns and page sizes, naming them", async () => {
    const badSort = await stack.gql(PREVIEW, { v: versionId, sortBy: "cost" });
    expect(badSort.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badSort.errors?.[0]?.message).toMatch(/sortBy: "cost" is not a column/);
    const badFirst = await stack.gql(PREVIEW, { v: versionId, first: 1000 });
    expect(badFirst.errors?.[0]?.message).toMatch(/first: between 1 and 200/);
    const missing = await stack.gql(PREVIEW, { v: "00000000-0000-0000-0000-000000000000" });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("are downloaded whole as CSV, JSON Lines and Parquet, audited", async () => {
    const csv = await download("csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="rows_items-v1.csv"');
    const csvLines = (await csv.text()).trimEnd().split("\r\n");
    expect(csvLines).toHaveLength(2_501);
    expect(csvLines.slice(0, 2)).toEqual([
      "item_id,title,price,added",
      'P1,"Mug, red",9.48,2026-01-01T00:00:00.000Z',
    ]);
    expect(csvLines[7]).toBe('P7,"Mug, red",,2026-01-01T00:00:00.000Z');
    const jsonl = await download("jsonl");
    const records = (await jsonl.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(2_500);
    expect(records[2_499]).toEqual({
      item_id: "P2500",
      title: "Mug, blue",
      price: 259.38,
      added: "2026-01-01T00:00:00.000Z",
    });
    expect(records[6]?.price).toBeNull();
    const parquet = await download("parquet");
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    expect(parquet.headers.get("content-disposition")).toBe('attachment; filename="rows_items-v1.parquet"');
    const file = await parquet.arrayBuffer();
    const schema = parquetMetadata(file).schema.slice(1);
    expect(schema.map((element) => [element.name, element.type])).toEqual([
      ["item_id", "BYTE_ARRAY"],
      ["title", "BYTE_ARRAY"],
      ["price", "DOUBLE"],
      ["added", "INT64"],
    ]);
    const table = await parquetReadObjects({ file });
    expect(table).toHaveLength(2_500);
    expect(table[2_499]).toEqual({
      item_id: "P2500",
      title: "Mug, blue",
      price: 259.38,
      added: new Date("2026-01-01T00:00:00.000Z"),
    });
    expect(table[6]?.price).toBeNull();
    const audits = await stack.deps.db.auditEvent.count({
      where: { action: "version.download", targetId: versionId },
    });
    expect(audits).toBe(3);
  });

  it("refuses downloads without a key or of a version that is not READY", async () => {
    expect((await download("csv", null)).status).toBe(401);
    await stack.deps.db.datasetVersion.update({ where: { id: versionId }, data: { status: "LOADING" } });
    try {
      const refused = await download("jsonl");
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/is LOADING/);
    } finally {
      await stack.deps.db.datasetVersion.update({ where: { id: versionId }, data: { status: "READY" } });
    }
  });
});
