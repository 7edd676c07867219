import { DATA_SCHEMA } from "@dam/db/data-plane";
import type { TColumn, TSqlRow, TTableRef } from "@dam/quality/compile";
import type pg from "pg";
import type { TDeps } from "../../deps.ts";

// User-written SQL (custom_sql rules) runs read-only and time-boxed: it can neither change data nor
// hold a worker forever.
const UNTRUSTED_TIMEOUT_MS = 60_000;

type TStoredColumn = { name: string; type: TColumn["type"] };

/** The data-plane table of a version, as the compiler needs it. */
export const toTableRef = (version: { tableName: string; schema: unknown }): TTableRef => ({
  schema: DATA_SCHEMA,
  table: version.tableName,
  columns: ((version.schema as TStoredColumn[] | null) ?? []).map(({ name, type }) => ({ name, type })),
});

/** Runs one compiled statement against the version tables; untrusted SQL in a READ ONLY transaction. */
export const runCompiledQuery = async (
  pool: pg.Pool,
  query: { sql: string; params: unknown[]; untrusted: boolean },
): Promise<TSqlRow[]> => {
  if (!query.untrusted) return (await pool.query(query.sql, query.params)).rows as TSqlRow[];
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${UNTRUSTED_TIMEOUT_MS}`);
    const result = await client.query(query.sql, query.params);
    await client.query("COMMIT");
    return result.rows as TSqlRow[];
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** The newest READY version of a dataset, optionally older than a given version number. */
export const findReadyVersion = (deps: TDeps, datasetId: string, olderThan?: number) =>
  deps.db.datasetVersion.findFirst({
    where: { datasetId, status: "READY", ...(olderThan !== undefined ? { number: { lt: olderThan } } : {}) },
    orderBy: { number: "desc" },
  });

export type TResultWrite = {
  ruleId: string;
  passed: boolean;
  failingCount: number;
  checkedCount: number;
  observed: Record<string, unknown>;
  samples: unknown[];
};

// Dates and bigints in sample rows become JSON-safe values before they are stored.
const toJson = (value: unknown): object =>
  JSON.parse(JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? inner.toString() : inner)));

/** Upserts on (runId, ruleId): a job that runs again writes over its own results instead of adding. */
export const saveResult = (deps: TDeps, runId: string, result: TResultWrite) => {
  const data = {
    passed: result.passed,
    failingCount: BigInt(Math.round(result.failingCount)),
    checkedCount: BigInt(Math.round(result.checkedCount)),
    observed: toJson(result.observed),
    samples: toJson(result.samples),
  };
  return deps.db.qualityResult.upsert({
    where: { runId_ruleId: { runId, ruleId: result.ruleId } },
    create: { runId, ruleId: result.ruleId, ...data },
    update: data,
  });
};
