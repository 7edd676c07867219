import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFileJob } from "../src/modules/datasets/datasets.jobs.ts";
import { createFileImport, createNextVersion } from "../src/modules/datasets/datasets.service.ts";
import type { TFileSource } from "../src/modules/datasets/ingest.service.ts";
import { enqueueJob } from "../src/modules/jobs/jobs.service.ts";
import { WORKER_REGISTRY } from "../src/modules/jobs/worker-registry.ts";
import { startWorkers } from "../src/modules/jobs/worker-runtime.ts";
import { importAndWait } from "./helpers/import-file.ts";
import { ADMIN_TOKEN, startTestStack, type TTestStack } from "./helpers/test-stack.ts";
import { waitFor } from "./helpers/wait-for.ts";

// Issue 12: one bad cell rejects its row (with line, column and reason), never the whole import.

let stack: TTestStack;
let workers: ReturnType<typeof startWorkers>;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  workers = startWorkers(stack.deps, WORKER_REGISTRY, ["ingest"]);
  dir = await mkdtemp(path.join(tmpdir(), "dam-ingest-hardening-"));
});
afterAll(async () => {
  await workers?.stop();
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
};

const load = async (name: string, source: Omit<TFileSource, "roles" | "types"> & Partial<TFileSource>) => {
  const { version, job } = await importAndWait(stack, {
    name,
    kind: "OTHER",
    source: { roles: {}, types: {}, ...source },
  });
  expect(job.status, job.error ?? "").toBe("COMPLETED");
  expect(version.status).toBe("READY");
  const rejects = await stack.deps.db.rejectedRow.findMany({
    where: { versionId: version.id },
    orderBy: { line: "asc" },
  });
  const rows = await stack.deps.pool.query(`SELECT * FROM data."${version.tableName}" ORDER BY _line`);
  return { version, rejects, rows: rows.rows as Record<string, unknown>[] };
};

describe("imports reject rows, not files", () => {
  it("CSV: a NUL byte in a text or number cell rejects its row; rejects.csv is NUL-free and formula-safe", async () => {
    const file = await write(
      "nul.csv",
      [
        "id,title,price",
        "1,Mug,4.5",
        "2,Te\u0000apot,9",
        "3,Lamp,1\u00002",
        "4,=HYPERLINK(1),=1+1",
        "5,Bowl,3",
        "=2+3,Cup,1",
      ].join("\n"),
    );
    const { version, rejects, rows } = await load("nul_csv", {
      paths: [file],
      format: "csv",
      types: { id: "integer", price: "decimal" },
    });
    expect(rows.map((row) => row.title)).toEqual(["Mug", "Bowl"]);
    expect(Number(version.rowCount)).toBe(2);
    expect(Number(version.rejectedCount)).toBe(4);
    expect(rejects.map((reject) => [reject.line, reject.column, reject.reason])).toEqual([
      [3, "title", "NUL byte (0x00) in the value: PostgreSQL cannot store it"],
      [4, "price", "NUL byte (0x00) in the value: PostgreSQL cannot store it"],
      [5, "price", 'not a number: "=1+1"'],
      [7, "id", 'not an integer: "=2+3"'],
    ]);
    expect(rejects[0]?.raw).toBe("2,Te\u2400apot,9");

    const response = await fetch(`${stack.url}/api/v1/versions/${version.id}/rejects.csv`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const lines = (await response.text()).split("\r\n");
    expect(lines[3]).toBe(`nul.csv,5,price,"not a number: ""=1+1""","4,=HYPERLINK(1),=1+1"`);
    expect(lines[1]).toContain("Te\u2400apot");
    // A cell a spreadsheet would evaluate is neutralised (OWASP CSV injection).
    expect(lines[4]).toBe(`nul.csv,7,id,"not an integer: ""=2+3""","'=2+3,Cup,1"`);
  });

  it("JSONL: a \\u0000 string and a line nested 5,000 deep reject their rows; the rest loads", async () => {
    const deep = `{"id":3,"s":${"[".repeat(5_000)}${"]".repeat(5_000)}}`;
    const file = await write(
      "bad.jsonl",
      [
        '{"id":1,"s":"ok"}',
        '{"id":2,"s":"a\\u0000b"}',
        deep,
        '{"id":4,"s":"fine"}',
        '{"id":5,"s\\u0000x":1}',
      ].join("\n"),
    );
    const { rejects, rows } = await load("bad_jsonl", { paths: [file], format: "jsonl" });
    expect(rows.map((row) => row.s)).toEqual(["ok", "fine"]);
    expect(rejects.map((reject) => [reject.line, reject.column, reject.reason])).toEqual([
      [2, "s", "NUL byte (0x00) in the value: PostgreSQL cannot store it"],
      [3, null, "JSON nested deeper than 64 levels"],
      // A key with a NUL names no column: its row is rejected, the others load.
      [5, null, "unknown fields: s\u2400x"],
    ]);
  });

  it("strict UTF-8: a row with bytes that are not UTF-8 is rejected with its column; by default it loads", async () => {
    const csv = Buffer.concat([Buffer.from("id,title\n1,caf"), Buffer.from([0xe9]), Buffer.from("\n2,ok\n")]);
    const csvFile = await write("latin.csv", csv);
    const strict = await load("strict_csv", { paths: [csvFile], format: "csv", strictUtf8: true });
    expect(strict.rows.map((row) => row.title)).toEqual(["ok"]);
    expect(strict.rejects.map((reject) => [reject.line, reject.column, reject.reason])).toEqual([
      [2, "title", "not valid UTF-8 (strict mode): the value holds bytes that are not UTF-8"],
    ]);
    const loose = await load("loose_csv", { paths: [csvFile], format: "csv" });
    expect(loose.rows.map((row) => row.title)).toEqual(["caf\uFFFD", "ok"]);

    const jsonl = Buffer.concat([
      Buffer.from('{"id":1,"t":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n{"id":2,"t":"ok"}\n'),
    ]);
    const jsonlFile = await write("latin.jsonl", jsonl);
    const strictJsonl = await load("strict_jsonl", { paths: [jsonlFile], format: "jsonl", strictUtf8: true });
    expect(strictJsonl.rows.map((row) => row.t)).toEqual(["ok"]);
    expect(strictJsonl.rejects[0]).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/^not valid UTF-8/),
    });
  });

  it("a file wider than a PostgreSQL table is refused at once: by the mutation, and by the job without retries", async () => {
    const header = Array.from({ length: 1_700 }, (_, i) => `c${i}`).join(",");
    const file = await write(
      "wide.csv",
      `${header}\n${Array.from({ length: 1_700 }, () => "1").join(",")}\n`,
    );
    const source: TFileSource = { paths: [file], format: "csv", roles: {}, types: {} };
    await expect(
      createFileImport(stack.deps, null, { name: "too_wide", kind: "OTHER", source }),
    ).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/^the file has 1,700 columns; a dataset holds at most 1,599/),
    });

    // A version queued anyway (e.g. by an older API) fails for good on its first attempt.
    const dataset = await stack.deps.db.dataset.create({ data: { name: "too_wide_job", kind: "OTHER" } });
    const version = await createNextVersion(stack.deps, dataset.id, { source, actor: null });
    const job = await enqueueJob(stack.deps, ingestFileJob, { versionId: version.id });
    const failed = await waitFor(
      async () => {
        const row = await stack.deps.db.job.findUnique({ where: { id: job.id } });
        return row?.status === "FAILED" ? row : undefined;
      },
      { what: "the wide import to fail" },
    );
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/the file has 1,700 columns; PostgreSQL tables hold at most 1,599/);
    const after = await stack.deps.db.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(after.status).toBe("FAILED");
  });
});
