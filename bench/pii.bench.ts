// PII classification (issue 14): the classification job on a 1,000,000-row version against the profile
// job on the same version, measured in the same run (goal: classification at most 2x profiling), and the
// precision and recall of the job's tags on the planted table (@dam/privacy/planted-table: planted PII
// and look-alikes such as SKUs, prices, order numbers and barcodes; goal >= 0.95 each), on real PostgreSQL.
import { qualifiedTable, versionTableName } from "@dam/db/data-plane";
import { createTestDatabase } from "@dam/db/test-db";
import type { TPiiFinding } from "@dam/privacy/pii-types";
import { ZPiiType } from "@dam/privacy/pii-types";
import { generatePlantedTable, scoreClassification } from "@dam/privacy/planted-table";
import { quoteIdent } from "@dam/vocabulary/sql-ident";
import { createDeps, type TDeps } from "../apps/api/src/deps.ts";
import { readEnv } from "../apps/api/src/env.ts";
import { computeVersionProfile } from "../apps/api/src/modules/column-stats/profile-compute.service.ts";
import type { TJobContext } from "../apps/api/src/modules/jobs/job-definition.ts";
import { classifyVersionPii } from "../apps/api/src/modules/privacy/pii-classify.service.ts";
import { machineInfo, type TBenchResult, type TBenchRow } from "./bench-result.ts";

const ROWS = 1_000_000;
const PLANTED_ROWS = 1_000;
const REPEATS = 3;
const GOAL_FACTOR = 2;

const log = (line: string) => process.stderr.write(`[bench pii] ${line}\n`);

const ctx: TJobContext = {
  jobRecordId: "bench",
  attempt: 1,
  progress: async () => {},
  checkpoint: async () => {},
};

const createVersion = async (
  deps: TDeps,
  name: string,
  columns: { name: string; type: string }[],
  rowCount: number,
) => {
  const dataset = await deps.db.dataset.create({ data: { name, kind: "USERS" } });
  const id = crypto.randomUUID();
  return deps.db.datasetVersion.create({
    data: {
      id,
      datasetId: dataset.id,
      number: 1,
      status: "READY",
      tableName: versionTableName(id),
      schema: columns.map((c) => ({ ...c, nullable: true, role: null })),
      rowCount: BigInt(rowCount),
      readyAt: new Date(),
    },
  });
};

// A users table in SQL: ids, emails, names, phones, signup times, order numbers, SKUs and prices.
const createLargeVersion = async (deps: TDeps) => {
  const columns = [
    { name: "user_id", type: "text" },
    { name: "email", type: "text" },
    { name: "full_name", type: "text" },
    { name: "phone", type: "text" },
    { name: "signed_up", type: "timestamp" },
    { name: "order_number", type: "text" },
    { name: "sku", type: "text" },
    { name: "price", type: "decimal" },
  ];
  const version = await createVersion(deps, "bench_users", columns, ROWS);
  const table = qualifiedTable(version.tableName);
  await deps.pool.query(`CREATE SCHEMA IF NOT EXISTS data`);
  await deps.pool.query(
    `CREATE TABLE ${table} AS
     SELECT i::bigint AS _line, 'u' || i AS user_id,
            'user' || i || '@example.com' AS email,
            (ARRAY['Maria','James','Aiko','Sven','Priya','Noah'])[1 + i % 6] || ' ' ||
              (ARRAY['Garcia','Smith','Tanaka','Nilsson','Patel','Okafor'])[1 + (i / 7) % 6] AS full_name,
            '+44 20 ' || lpad((i % 10000)::text, 4, '0') || ' ' || lpad(((i * 7) % 10000)::text, 4, '0') AS phone,
            timestamptz '2024-01-01' + (i % 500000) * interval '1 minute' AS signed_up,
            (1000000000000000 + i::bigint * 7919)::text AS order_number,
            'SKU-' || lpad((i % 99999)::text, 5, '0') || '-BL' AS sku,
            ((i % 9999) / 100.0)::float8 AS price
     FROM generate_series(1, ${ROWS}) AS i`,
  );
  await deps.pool.query(`VACUUM (ANALYZE) ${table}`);
  return version.id;
};

const createPlantedVersion = async (deps: TDeps) => {
  const planted = generatePlantedTable(PLANTED_ROWS);
  const version = await createVersion(
    deps,
    "bench_planted",
    planted.map((c) => ({ name: c.name, type: "text" })),
    PLANTED_ROWS,
  );
  const table = qualifiedTable(version.tableName);
  await deps.pool.query(
    `CREATE TABLE ${table} (_line bigint, ${planted.map((c) => `${quoteIdent(c.name)} text`).join(", ")})`,
  );
  // One unnest per column keeps the insert to one statement with one array parameter per column.
  await deps.pool.query(
    `INSERT INTO ${table} SELECT * FROM unnest($1::bigint[], ${planted.map((_, i) => `$${i + 2}::text[]`).join(", ")})`,
    [planted[0]!.values.map((_, i) => i + 2), ...planted.map((c) => c.values)],
  );
  return { versionId: version.id, planted };
};

const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
};

export const run = async (): Promise<TBenchResult> => {
  const startedAt = new Date().toISOString();
  const database = await createTestDatabase();
  await database.prisma.$disconnect();
  const deps = createDeps(
    readEnv({
      ...process.env,
      DATABASE_URL: database.url,
      DAM_QUEUE_PREFIX: "bench-pii",
      DAM_LOG_LEVEL: "error",
    }),
  );
  try {
    log(`generating ${ROWS.toLocaleString("en")} rows`);
    const large = await createLargeVersion(deps);
    const rows: TBenchRow[] = [];
    const profileTimes: number[] = [];
    const classifyTimes: number[] = [];
    // Interleaved, so load from other processes on the machine hits both sides alike.
    for (let r = 0; r < REPEATS; r++) {
      profileTimes.push(await time(() => computeVersionProfile(deps, large, ctx)));
      classifyTimes.push(await time(() => classifyVersionPii(deps, large, ctx)));
      log(
        `repeat ${r + 1}: profile ${profileTimes[r]!.toFixed(2)} s, classify ${classifyTimes[r]!.toFixed(2)} s`,
      );
    }
    const profileSeconds = Math.min(...profileTimes);
    const classifySeconds = Math.min(...classifyTimes);
    const tags = await deps.db.columnPiiTag.findMany({ where: { versionId: large } });
    rows.push({
      dataset: "generated users",
      rows: ROWS,
      classifySeconds,
      profileSeconds,
      tags: tags
        .map((t) => `${t.column}:${t.piiType}`)
        .sort()
        .join(" "),
    });

    const { versionId, planted } = await createPlantedVersion(deps);
    const plantedSeconds = await time(() => classifyVersionPii(deps, versionId, ctx));
    const plantedTags = await deps.db.columnPiiTag.findMany({ where: { versionId } });
    const findings = new Map<string, TPiiFinding[]>();
    for (const t of plantedTags) {
      const list = findings.get(t.column) ?? [];
      list.push({
        type: ZPiiType.parse(t.piiType),
        confidence: t.confidence,
        valueShare: 0,
        nameMatch: false,
        sampled: 0,
        matched: 0,
      });
      findings.set(t.column, list);
    }
    const score = scoreClassification(planted, findings);
    rows.push({
      dataset: "planted PII and look-alikes",
      rows: PLANTED_ROWS,
      columns: planted.length,
      piiColumns: planted.filter((c) => c.expected.length > 0).length,
      classifySeconds: plantedSeconds,
      precision: score.precision,
      recall: score.recall,
      errors: score.errors.join("; "),
    });
    const ratio = profileSeconds / classifySeconds;
    return {
      name: "pii",
      startedAt,
      machine: machineInfo(),
      rows,
      baseline: {
        what: `profile job on the same ${ROWS.toLocaleString("en")}-row version (seconds, best of ${REPEATS})`,
        value: profileSeconds,
      },
      ratio,
      goal: `classification <= ${GOAL_FACTOR}x profiling (ratio >= ${1 / GOAL_FACTOR}); precision and recall >= 0.95 on the planted table`,
      met: ratio >= 1 / GOAL_FACTOR && score.precision >= 0.95 && score.recall >= 0.95,
    };
  } finally {
    await deps.close();
    await database.drop();
  }
};
