// CSV ingest into per-version tables: the real `loadVersionFromFile` on the demo shop's events file,
// into a fresh real PostgreSQL database and into the embedded PGlite served over the wire. Baseline, in
// the same run on the same real database: one parameterised INSERT per row in 1,000-row transactions.
import { randomBytes, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  countRows,
  createVersionTable,
  qualifiedTable,
  quoteIdent,
  versionTableName,
} from "@dam/db/data-plane";
import { startEmbeddedPostgres } from "@dam/db/embedded";
import { migrateDatabase } from "@dam/db/migrate";
import { createTestDatabase } from "@dam/db/test-db";
import { writeDemoShop } from "@dam/demo-shop/write-files";
import { parse } from "csv-parse";
import pg from "pg";
import { createDeps, type TDeps } from "../apps/api/src/deps.ts";
import { readEnv } from "../apps/api/src/env.ts";
import type { TJobContext } from "../apps/api/src/jobs/job-definition.ts";
import { loadVersionFromFile, type TFileSource } from "../apps/api/src/modules/datasets/ingest.service.ts";
import { machineInfo, sampleRss, type TBenchResult, type TBenchRow } from "./bench-result.ts";

const BASELINE_ROWS = 20_000;
const BASELINE_TX_ROWS = 1_000;
const GOAL_RATIO = 10;
const MAX_RSS_GROWTH_MB = 300;

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

const depsFor = (databaseUrl: string, poolMax: string | undefined): TDeps =>
  createDeps(
    readEnv({
      ...process.env,
      DATABASE_URL: databaseUrl,
      DAM_QUEUE_PREFIX: `dambench-${randomBytes(4).toString("hex")}`,
      DAM_LOG_LEVEL: "error",
      ...(poolMax ? { DAM_DB_POOL_MAX: poolMax } : {}),
    }),
  );

/** A PENDING version pointing at the file, as createFileImport makes it (minus the job). */
const createVersion = async (deps: TDeps, file: string): Promise<string> => {
  const dataset = await deps.db.dataset.create({
    data: { name: `bench_events_${randomBytes(3).toString("hex")}`, kind: "EVENTS", tags: ["bench"] },
  });
  const id = randomUUID();
  const source: TFileSource = { path: file, format: "csv", roles: EVENT_ROLES, types: {} };
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

const measureIngest = async (target: string, deps: TDeps, file: string): Promise<TIngestMeasure> => {
  const versionId = await createVersion(deps, file);
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
 * What a newcomer writes: parse with csv-parse, one parameterised INSERT per row (text parameters, the
 * server casts them), COMMIT every 1,000 rows. Into a table with the same columns and types as ours.
 */
const measureNaive = async (deps: TDeps, file: string, versionId: string) => {
  const version = await deps.db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  const columns = version.schema as {
    name: string;
    type: "integer" | "decimal" | "boolean" | "timestamp" | "text";
  }[];
  const table = `naive_${randomBytes(4).toString("hex")}`;
  await createVersionTable(deps.pool, table, columns);
  const names = ["_line", ...columns.map((column) => column.name)];
  const sql = `INSERT INTO ${qualifiedTable(table)} (${names.map(quoteIdent).join(", ")}) VALUES (${names
    .map((_, i) => `$${i + 1}`)
    .join(", ")})`;

  const client = new pg.Client({ connectionString: deps.env.DATABASE_URL });
  await client.connect();
  const parser = createReadStream(file).pipe(parse({ bom: true, info: true, relax_column_count: true }));
  let inserted = 0;
  const started = performance.now();
  try {
    let headerSeen = false;
    await client.query("BEGIN");
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      await client.query(sql, [info.lines, ...record.map((value) => (value === "" ? null : value))]);
      inserted++;
      if (inserted % BASELINE_TX_ROWS === 0) {
        await client.query("COMMIT");
        if (inserted >= BASELINE_ROWS) break;
        await client.query("BEGIN");
      }
    }
    if (inserted % BASELINE_TX_ROWS !== 0) await client.query("COMMIT");
  } finally {
    parser.destroy();
    await client.end();
  }
  const seconds = (performance.now() - started) / 1000;
  const inTable = await countRows(deps.pool, table);
  if (inTable !== inserted) throw new Error(`naive: ${inTable} rows in table, ${inserted} inserted`);
  await deps.pool.query(`DROP TABLE ${qualifiedTable(table)}`);
  log(`naive row-by-row: ${inserted} rows in ${seconds.toFixed(2)} s`);
  return {
    target: "baseline: row-by-row INSERT, real PostgreSQL",
    rowsPerSecond: Math.round(inserted / seconds),
    seconds: Math.round(seconds * 100) / 100,
    rows: inserted,
  };
};

/** Ours and the baseline on one fresh, migrated real PostgreSQL database, dropped afterwards. */
const measureRealPostgres = async (file: string) => {
  log("real PostgreSQL: creating a test database");
  const database = await createTestDatabase();
  await database.prisma.$disconnect();
  const deps = depsFor(database.url, undefined);
  try {
    const ours = await measureIngest("real PostgreSQL", deps, file);
    const naive = await measureNaive(deps, file, ours.versionId);
    return { ours, naive };
  } finally {
    await closeDeps(deps);
    await database.drop();
  }
};

/** Ours on the embedded PGlite served over the wire, in its own data directory, stopped afterwards. */
const measureEmbedded = async (file: string, dataDir: string) => {
  log("embedded PGlite: starting and migrating");
  const embedded = await startEmbeddedPostgres({ dataDir });
  try {
    await migrateDatabase(embedded.url);
    // `npm start` gives the embedded database 4 connections (scripts/start.ts).
    const deps = depsFor(embedded.url, "4");
    try {
      return await measureIngest("embedded PGlite (wire)", deps, file);
    } finally {
      await closeDeps(deps);
    }
  } finally {
    await embedded.stop();
  }
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(path.join(tmpdir(), "dam-bench-ingest-"));
  try {
    log("generating the demo shop");
    const { files } = await writeDemoShop(path.join(work, "shop"));
    const { ours, naive } = await measureRealPostgres(files.events);
    const pglite = await measureEmbedded(files.events, path.join(work, "pglite"));

    const ratio = Math.round((ours.rowsPerSecond / naive.rowsPerSecond) * 100) / 100;
    const { versionId: _real, ...realRow } = ours;
    const { versionId: _embedded, ...pgliteRow } = pglite;
    return {
      name: "ingest",
      startedAt,
      machine: machineInfo(),
      rows: [realRow, pgliteRow, naive],
      baseline: {
        what: `rows/s, one parameterised INSERT per row in ${BASELINE_TX_ROWS.toLocaleString("en")}-row transactions, first ${BASELINE_ROWS.toLocaleString("en")} rows, same real PostgreSQL database`,
        value: naive.rowsPerSecond,
      },
      ratio,
      goal: "bulk ingest at least 10x faster than row-by-row INSERTs on real PostgreSQL, with flat memory",
      met: ratio >= GOAL_RATIO && ours.rssGrowthMb < MAX_RSS_GROWTH_MB,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
