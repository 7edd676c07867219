import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { qualifiedTable } from "@dam/db/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileImport } from "../src/modules/datasets/datasets.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait as importThroughIngest } from "./helpers/import-file.ts";
import { startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-ingest-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
});

const importAndWait = async (
  name: string,
  file: string,
  roles: Record<string, string> = {},
  types: Record<string, "integer" | "decimal" | "boolean" | "timestamp" | "text"> = {},
  paths: string[] = [file],
  format: "csv" | "jsonl" = "csv",
  encoding: "utf8" | "latin1" = "utf8",
) => {
  const { version, job } = await createFileImport(stack.deps, null, {
    name,
    kind: "OTHER",
    source: { paths, format, encoding, roles, types },
  });
  const finished = await waitFor(
    async () => {
      const row = await stack.deps.db.job.findUnique({ where: { id: job.id } });
      return row && ["COMPLETED", "FAILED"].includes(row.status) ? row : undefined;
    },
    { what: `import of ${name}` },
  );
  const loaded = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
  return { job: finished, version: loaded };
};

describe("CSV ingest", () => {
  it("loads the good rows of a broken file and reports every bad row with its line", async () => {
    const file = path.join(dir, "broken.csv");
    await writeFile(
      file,
      [
        "item_id,title,price,in_stock,added_at", // line 1
        '1,"Mug, blue",4.50,yes,2026-01-02T10:00:00Z', // 2 ok (quoted comma)
        '2,"Two-line',
        'title",5,no,2026-01-03', // 3-4 ok (embedded newline)
        "3,Lamp,cheap,yes,2026-01-04", // 5 wrong type (price)
        "4,Chair,10", // 6 ragged (3 fields)
        '5,"Bad "quote" here",2.0,no,2026-01-05', // 7 bad quoting
        "6,Desk,120,no,2026-01-06", // 8 ok
        "7,Shelf,30,maybe,2026-01-07", // 9 wrong type (boolean)
        "", // empty line: skipped, not a reject
        "8,Rug,45.5,yes,", // 11 ok (null timestamp)
      ].join("\n"),
    );
    // Inference is strict (one non-number makes a column text, so nothing is lost); declared types make
    // the odd values rejects instead.
    const { job, version } = await importAndWait(
      "broken_file",
      file,
      { item_id: "itemId", price: "price" },
      { price: "decimal", in_stock: "boolean" },
    );
    expect(job.status).toBe("COMPLETED");
    expect(version.status).toBe("READY");
    expect(Number(version.rowCount)).toBe(4);
    expect(Number(version.rejectedCount)).toBe(4);

    const rejects = await stack.deps.db.rejectedRow.findMany({
      where: { versionId: version.id },
      orderBy: { line: "asc" },
    });
    expect(rejects.map((reject) => [reject.line, reject.column])).toEqual([
      [5, "price"],
      [6, null],
      [7, null],
      [9, "in_stock"],
    ]);
    expect(rejects[0]?.reason).toBe('not a number: "cheap"');
    expect(rejects[1]?.reason).toBe("expected 5 fields, found 3");
    expect(rejects[2]?.reason).toMatch(/quote/i);

    const columns = version.schema as { name: string; type: string; role: string | null }[];
    // item_id and price were mapped; the title's role is inferred from its name, and the one timestamp
    // column takes the timestamp role.
    expect(columns.map((column) => [column.name, column.type, column.role])).toEqual([
      ["item_id", "integer", "itemId"],
      ["title", "text", "title"],
      ["price", "decimal", "price"],
      ["in_stock", "boolean", null],
      ["added_at", "timestamp", "timestamp"],
    ]);
    const rows = await stack.deps.pool.query(
      `SELECT _line, item_id, title, price, in_stock, added_at FROM ${qualifiedTable(version.tableName)} ORDER BY _line`,
    );
    expect(rows.rows.map((row) => [Number(row._line), Number(row.item_id), row.title, row.price])).toEqual([
      [2, 1, "Mug, blue", 4.5],
      [4, 2, "Two-line\ntitle", 5],
      [8, 6, "Desk", 120],
      [11, 8, "Rug", 45.5],
    ]);
    expect(rows.rows[3].added_at).toBeNull();
  });

  it("infers text for a column with one non-number instead of rejecting it", async () => {
    const file = path.join(dir, "mixed.csv");
    await writeFile(file, "invoice,qty\n536365,6\nC536379,-1\n");
    const { version } = await importAndWait("mixed_types", file);
    expect(Number(version.rowCount)).toBe(2);
    expect((version.schema as { type: string }[]).map((column) => column.type)).toEqual(["text", "integer"]);
  });

  it("reads gzip-compressed files", async () => {
    const file = path.join(dir, "events.csv.gz");
    const lines = [
      "user_id,event_type,ts",
      ...Array.from(
        { length: 12_345 },
        (_, i) => `${i % 50},view,2026-02-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
      ),
    ];
    await writeFile(file, gzipSync(`${lines.join("\n")}\n`));
    const { version, job } = await importAndWait("gz_events", file);
    expect(job.status).toBe("COMPLETED");
    expect(Number(version.rowCount)).toBe(12_345);
    expect(job.progress).toBe(100);
  });

  it("reads several files (gzip or not) into one version, with a line offset per file", async () => {
    const header = "invoice,qty";
    const a = path.join(dir, "part-a.csv");
    const b = path.join(dir, "part-b.csv.gz");
    await writeFile(a, `${header}\n1,5\n2,x\n`);
    await writeFile(b, gzipSync(`${header}\n3,7\n4,8\n`));
    const { version } = await importAndWait("two_parts", a, {}, { qty: "integer" }, [a, b]);
    expect(Number(version.rowCount)).toBe(3);
    const rejects = await stack.deps.db.rejectedRow.findMany({ where: { versionId: version.id } });
    expect(rejects.map((reject) => [reject.file, reject.line, reject.column])).toEqual([
      ["part-a.csv", 3, "qty"],
    ]);
    expect((version.source as { files: unknown }).files).toEqual([
      { name: "part-a.csv", lineOffset: 0 },
      { name: "part-b.csv.gz", lineOffset: 3 },
    ]);
    const rows = await stack.deps.pool.query(
      `SELECT _line, invoice FROM ${qualifiedTable(version.tableName)} ORDER BY _line`,
    );
    expect(rows.rows.map((row) => [Number(row._line), Number(row.invoice)])).toEqual([
      [2, 1],
      [5, 3],
      [6, 4],
    ]);
  });

  it("reads JSON Lines, rejecting lines that are not JSON objects", async () => {
    const file = path.join(dir, "events.jsonl");
    await writeFile(
      file,
      [
        '{"user":1,"type":"view","at":"2026-01-01T00:00:00Z","meta":{"a":1}}',
        "{not json",
        "[1,2]",
        "",
        '{"user":2,"type":"cart","at":null}',
      ].join("\n"),
    );
    const { version } = await importAndWait("jsonl_events", file, {}, {}, [file], "jsonl");
    expect(Number(version.rowCount)).toBe(2);
    const rejects = await stack.deps.db.rejectedRow.findMany({
      where: { versionId: version.id },
      orderBy: { line: "asc" },
    });
    expect(rejects.map((reject) => [reject.line, reject.reason.split(":")[0]])).toEqual([
      [2, "invalid JSON"],
      [3, "not a JSON object"],
    ]);
    const columns = (version.schema as { name: string; type: string }[]).map((column) => [
      column.name,
      column.type,
    ]);
    expect(columns).toEqual([
      ["user", "integer"],
      ["type", "text"],
      ["at", "timestamp"],
      ["meta", "text"],
    ]);
  });

  it("reads CSV without a header row, naming columns by position", async () => {
    const file = path.join(dir, "no-header.csv");
    await writeFile(file, "1,Mug\n2,Lamp\n");
    const { version } = await importThroughIngest(stack, {
      name: "headerless",
      kind: "OTHER",
      source: { paths: [file], format: "csv", header: false, roles: {}, types: {} },
    });
    expect(Number(version.rowCount)).toBe(2);
    expect((version.schema as { name: string }[]).map((column) => column.name)).toEqual(["col_1", "col_2"]);
  });

  it("decodes Latin-1 files", async () => {
    const file = path.join(dir, "latin1.csv");
    await writeFile(file, Buffer.from("name,city\nJos\xe9,Z\xfcrich\n", "latin1"));
    const { version } = await importAndWait("latin1_file", file, {}, {}, [file], "csv", "latin1");
    const rows = await stack.deps.pool.query(`SELECT name, city FROM ${qualifiedTable(version.tableName)}`);
    expect(rows.rows[0]).toEqual({ name: "José", city: "Zürich" });
  });

  it("fails an unreadable file for good and leaves no version table behind", async () => {
    const { version, job } = await importAndWait("missing_file", path.join(dir, "does-not-exist.csv"));
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatch(/does-not-exist\.csv/);
    expect(version.status).toBe("FAILED");
    const table = await stack.deps.pool.query("SELECT to_regclass($1) AS t", [`data.${version.tableName}`]);
    expect(table.rows[0].t).toBeNull();
  });

  it("collapses a second request for the same version into the same job", async () => {
    const file = path.join(dir, "small.csv");
    await writeFile(file, "a,b\n1,2\n");
    const first = await createFileImport(stack.deps, null, {
      name: "dedupe_me",
      kind: "OTHER",
      source: { paths: [file], format: "csv", roles: {}, types: {} },
    });
    const { enqueueJob } = await import("../src/modules/jobs/jobs.service.ts");
    const { ingestFileJob } = await import("../src/modules/datasets/datasets.jobs.ts");
    const again = await enqueueJob(stack.deps, ingestFileJob, { versionId: first.version.id });
    expect(again.id).toBe(first.job.id);
    expect(await stack.deps.db.job.count({ where: { inputIds: { has: first.version.id } } })).toBe(1);
  });
});
