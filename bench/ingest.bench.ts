// CSV ingest into per-version tables: the real `loadVersionFromFile` on the uncompressed UCI Online
// Retail file (its three parts concatenated: 541,909 lines; the demo shop's events file when the data
// set is missing), into a fresh database on the external PostgreSQL server and on the embedded server that
// `npm start` runs by default. Baseline, in the same run on each server: `psql \copy` of the same file
// into a plain table with the same types. Memory: a generated 5,000,000-row file through the same loader
// into the embedded server, peak RSS of the importing process.

import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { countRows, versionTableName } from "@dam/db/data-plane";
import { startEmbeddedPostgres } from "@dam/db/embedded";
import { freePort } from "@dam/db/free-port";
import { migrateDatabase } from "@dam/db/migrate";
import { createTestDatabase } from "@dam/db/test-db";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { sqlTypeOf } from "@dam/vocabulary/column-types";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { createDeps, type TDeps } from "../apps/api/src/deps.ts";
import { readEnv } from "../apps/api/src/env.ts";
import { loadVersionFromFile, type TFileSource } from "../apps/api/src/modules/datasets/ingest.service.ts";
import type { TJobContext } from "../apps/api/src/modules/jobs/job-definition.ts";
import { machineInfo, sampleRss, type TBenchResult, type TBenchRow } from "./bench-result.ts";

const GOAL_RATIO = 0.5;
const MAX_PEAK_RSS_MB = 300;
const MEMORY_ROWS = 5_000_000;
const UCI = path.resolve(__dirname, "../../shared/datasets/uci-online-retail");
const UCI_PARTS = [
  "online_retail_2010-12_to_2011-05.csv.gz",
  "online_retail_2011-06_to_2011-09.csv.gz",
  "online_retail_2011-10_to_2011-12.csv.gz",
].map((name) => path.join(UCI, name));
const UCI_ROLES: Record<string, string> = {
  InvoiceNo: "orderId",
  StockCode: "itemId",
  Description: "title",
  Quantity: "quantity",
  InvoiceDate: "timestamp",
  UnitPrice: "price",
  CustomerID: "userId",
};

// The roles the demo import gives the events file (apps/api/src/demo/demo.service.ts).
const EVENT_ROLES: Record<string, string> = {
  event_id: "eventId",
  user_id: "userId",
  item_id: "itemId",
  event_type: "eventType",
  timestamp: "timestamp",
  session_id: "sessionId",
  quantity: "quantity",
  price: "price",
};

const log = (line: string) => process.stderr.write(`[bench ingest] ${line}\n`);

// The job runner's context minus BullMQ: no cancellation, progress dropped (the real one is throttled).
const benchContext: TJobContext = {
  jobRecordId: "bench",
  attempt: 1,
  progress: async () => {},
  checkpoint: async () => {},
};

/** Closes the deps and removes the queue keys that creating the queues left in Redis. */
const closeDeps = async (deps: TDeps): Promise<void> => {
  await Promise.all(
    Object.values(deps.queues).map((queue) => queue.obliterate({ force: true }).catch(() => undefined)),
  );
  await deps.close();
};

const depsFor = (databaseUrl: string): TDeps =>
  createDeps(
    readEnv({
      ...process.env,
      DATABASE_URL: databaseUrl,
      DAM_QUEUE_PREFIX: `dambench-${randomBytes(4).toString("hex")}`,
      DAM_LOG_LEVEL: "error",
    }),
  );

/** A PENDING version pointing at the file, as createFileImport makes it (minus the job). */
const createVersion = async (deps: TDeps, file: string, roles: Record<string, string>): Promise<string> => {
  const dataset = await deps.db.dataset.create({
    data: { name: `bench_events_${randomBytes(3).toString("hex")}`, kind: "EVENTS", tags: ["bench"] },
  });
  const id = randomUUID();
  const source: TFileSource = { paths: [file], format: "csv", roles, types: {} };
  await deps.db.datasetVersion.create({
    data: { id, datasetId: dataset.id, number: 1, tableName: versionTableName(id), source },
  });
  return id;
};

type TIngestMeasure = TBenchRow & {
  versionId: string;
  rowsPerSecond: number;
  seconds: number;
  rows: number;
  peakRssMb: number;
  rssGrowthMb: number;
};

const measureIngest = async (
  target: string,
  deps: TDeps,
  file: string,
  roles: Record<string, string>,
): Promise<TIngestMeasure> => {
  const versionId = await createVersion(deps, file, roles);
  const rss = sampleRss();
  const started = performance.now();
  const { rowsLoaded, rowsRejected } = await loadVersionFromFile(deps, versionId, benchContext);
  const seconds = (performance.now() - started) / 1000;
  const memory = rss.stop();
  const version = await deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  const inTable = await countRows(deps.pool, version.tableName);
  if (version.status !== "READY" || inTable !== rowsLoaded) {
    throw new Error(`${target}: version ${version.status}, ${inTable} rows in table, ${rowsLoaded} reported`);
  }
  log(`${target}: ${rowsLoaded} rows (${rowsRejected} rejected) in ${seconds.toFixed(2)} s`);
  return {
    versionId,
    target,
    rowsPerSecond: Math.round(rowsLoaded / seconds),
    seconds: Math.round(seconds * 100) / 100,
    rows: rowsLoaded,
    rejected: rowsRejected,
    peakRssMb: memory.peakMb,
    rssGrowthMb: memory.growthMb,
  };
};

/**
 * The reference: PostgreSQL's own client loading the same file with `\copy ... (FORMAT csv)` into a
 * plain table with the same column types as ours (no type inference, no reject handling).
 */
const measurePsqlCopy = async (server: string, deps: TDeps, file: string, versionId: string) => {
  const version = await deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  const columns = version.schema as {
    name: string;
    type: "integer" | "decimal" | "boolean" | "timestamp" | "text";
  }[];
  const table = `psql_${randomBytes(4).toString("hex")}`;
  await deps.pool.query(
    `CREATE TABLE public.${quoteIdent(table)} (${columns.map((column) => `${quoteIdent(column.name)} ${sqlTypeOf(column.type)}`).join(", ")})`,
  );
  const started = performance.now();
  execFileSync("psql", [
    deps.env.DATABASE_URL,
    "-v",
    "ON_ERROR_STOP=1",
    "-qc",
    `\\copy public.${quoteIdent(table)} FROM '${file}' WITH (FORMAT csv, HEADER true)`,
  ]);
  const seconds = (performance.now() - started) / 1000;
  const count = await deps.pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM public.${quoteIdent(table)}`,
  );
  await deps.pool.query(`DROP TABLE public.${quoteIdent(table)}`);
  const rows = Number(count.rows[0]?.n ?? 0);
  log(`psql \\copy: ${rows} rows in ${seconds.toFixed(2)} s`);
  return {
    target: `baseline: psql \\copy (FORMAT csv), ${server}`,
    rowsPerSecond: Math.round(rows / seconds),
    seconds: Math.round(seconds * 100) / 100,
    rows,
  };
};

/** Ours and the baseline on one fresh, migrated real PostgreSQL database, dropped afterwards. */
const measureRealPostgres = async (file: string, roles: Record<string, string>) => {
  log("real PostgreSQL: creating a test database");
  const database = await createTestDatabase();
  await database.prisma.$disconnect();
  const deps = depsFor(database.url);
  try {
    const ours = await measureIngest("external PostgreSQL", deps, file, roles);
    const baseline = await measurePsqlCopy("external PostgreSQL", deps, file, ours.versionId);
    return { ours, baseline };
  } finally {
    await closeDeps(deps);
    await database.drop();
  }
};

/**
 * Ours and the baseline on the embedded server as `npm start` runs it (its own cluster in `dataDir`, a free
 * port), then the memory check into the same server; stopped afterwards.
 */
const measureEmbedded = async (
  file: string,
  roles: Record<string, string>,
  dataDir: string,
  bigFile: string,
) => {
  log("embedded PostgreSQL: initialising, starting and migrating");
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
  try {
    await migrateDatabase(embedded.url);
    const deps = depsFor(embedded.url);
    let ours: TIngestMeasure;
    let baseline: Awaited<ReturnType<typeof measurePsqlCopy>>;
    try {
      ours = await measureIngest("embedded PostgreSQL (npm start default)", deps, file, roles);
      baseline = await measurePsqlCopy("embedded PostgreSQL", deps, file, ours.versionId);
    } finally {
      await closeDeps(deps);
    }
    const admin = new URL(embedded.url);
    admin.pathname = "/postgres";
    const memory = await measureMemory(bigFile, admin.toString());
    return { ours, baseline, memory };
  } finally {
    await embedded.stop();
  }
};

/** The three gzip parts decompressed into one CSV with one header: "the uncompressed file". */
const writeUciFile = async (target: string): Promise<void> => {
  const out = createWriteStream(target);
  for (const [index, part] of UCI_PARTS.entries()) {
    let skippedHeader = index === 0;
    let pending = "";
    for await (const chunk of createReadStream(part).pipe(createGunzip())) {
      let text = pending + String(chunk);
      if (!skippedHeader) {
        const newline = text.indexOf("\n");
        if (newline === -1) {
          pending = text;
          continue;
        }
        text = text.slice(newline + 1);
        skippedHeader = true;
      }
      pending = "";
      if (!out.write(text)) await once(out, "drain");
    }
  }
  out.end();
  await once(out, "finish");
};

/** A large synthetic events file for the memory check, written in chunks. */
const writeBigEvents = async (target: string, rows: number): Promise<void> => {
  const out = createWriteStream(target);
  out.write("event_id,user_id,item_id,event_type,timestamp,price\n");
  const types = ["view", "click", "cart", "purchase"];
  for (let i = 0; i < rows; i += 10_000) {
    let chunk = "";
    for (let j = i; j < Math.min(rows, i + 10_000); j++) {
      chunk += `${j},${j % 20_000},${j % 5_000},${types[j % 4]},2026-0${1 + (j % 9)}-1${j % 10}T10:00:00Z,${(j % 997) / 10}\n`;
    }
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
};

/**
 * Peak RSS of an importing process: a child runs the real loader on the 5 M-row file and reports its
 * own high-water mark, so the benchmark's other work is not counted. It loads into a fresh database on
 * the server of `adminUrl`.
 */
const measureMemory = async (file: string, adminUrl: string) => {
  const output = execFileSync(
    process.execPath,
    // The worker's own flags (scripts/start.ts): the child stands in for the worker process.
    ["--max-semi-space-size=4", "--import", "tsx", path.join(__dirname, "ingest-memory-child.ts"), file],
    {
      encoding: "utf8",
      maxBuffer: 1024 * 1024,
      env: { ...process.env, TEST_DATABASE_ADMIN_URL: adminUrl },
    },
  );
  const result = JSON.parse(output.trim().split("\n").pop() ?? "{}") as {
    rows: number;
    seconds: number;
    peakRssMb: number;
    beforeLoadMb: number;
  };
  log(
    `memory: ${result.rows} rows in ${result.seconds.toFixed(1)} s, peak RSS of the importing process ${result.peakRssMb} MB (${result.beforeLoadMb} MB before the first row)`,
  );
  return {
    target: `memory: ${MEMORY_ROWS.toLocaleString("en")} generated rows, embedded PostgreSQL, importing process alone`,
    rows: result.rows,
    seconds: Math.round(result.seconds * 100) / 100,
    rowsPerSecond: Math.round(result.rows / result.seconds),
    peakRssMb: result.peakRssMb,
    rssBeforeFirstRowMb: result.beforeLoadMb,
  };
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(path.join(tmpdir(), "dam-bench-ingest-"));
  // The embedded server's OS user (when we run as root) must reach its cluster inside.
  await chmod(work, 0o755);
  try {
    let file: string;
    let roles: Record<string, string>;
    let what: string;
    if (UCI_PARTS.every((part) => existsSync(part))) {
      file = path.join(work, "online_retail.csv");
      await writeUciFile(file);
      roles = UCI_ROLES;
      what = "UCI Online Retail, 541,909 lines";
    } else {
      log(`UCI Online Retail not found under ${UCI}: using the demo shop's events file instead`);
      const { files } = await writeDemoShop(path.join(work, "shop"));
      file = files.events;
      roles = EVENT_ROLES;
      what = "demo shop events, 200,500 lines";
    }
    const external = await measureRealPostgres(file, roles);
    log(`writing ${MEMORY_ROWS.toLocaleString("en")} rows for the memory check`);
    const big = path.join(work, "big-events.csv");
    await writeBigEvents(big, MEMORY_ROWS);
    const embedded = await measureEmbedded(file, roles, path.join(work, "pg"), big);
    await rm(big, { force: true });

    const ratioOf = (ours: TIngestMeasure, baseline: { rowsPerSecond: number }) =>
      Math.round((ours.rowsPerSecond / baseline.rowsPerSecond) * 100) / 100;
    const externalRatio = ratioOf(external.ours, external.baseline);
    const embeddedRatio = ratioOf(embedded.ours, embedded.baseline);
    const strip = ({ versionId: _id, ...row }: TIngestMeasure) => row;
    return {
      name: "ingest",
      startedAt,
      machine: machineInfo(),
      rows: [
        { file: what, ...strip(external.ours), ratio: externalRatio },
        { file: what, ...external.baseline },
        { file: what, ...strip(embedded.ours), ratio: embeddedRatio },
        { file: what, ...embedded.baseline },
        embedded.memory,
      ],
      baseline: {
        what: `rows/s of psql \\copy (FORMAT csv) of the same file (${what}) into the embedded server that npm start runs, in this run (each server's row has its own ratio)`,
        value: embedded.baseline.rowsPerSecond,
      },
      ratio: embeddedRatio,
      goal: `at least half of psql's \\copy speed on the embedded and on the external server; peak RSS of the importing process under ${MAX_PEAK_RSS_MB} MB for ${MEMORY_ROWS.toLocaleString("en")} rows`,
      met:
        embeddedRatio >= GOAL_RATIO &&
        externalRatio >= GOAL_RATIO &&
        embedded.memory.peakRssMb < MAX_PEAK_RSS_MB,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
