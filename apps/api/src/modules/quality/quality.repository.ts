import type { RunStatus } from "@dam/db/client";
import { DATA_SCHEMA } from "@dam/db/data-plane";
import type { TSqlSandbox } from "@dam/db/sql-sandbox";
import type { TColumn, TSqlRow, TTableRef } from "@dam/quality/compile";
import type pg from "pg";
import type { TDeps } from "../../deps.ts";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TStoredColumn = { name: string; type: TColumn["type"] };

/**
 * Where a quality run's statements go: compiled SQL on the application's pool; user-written SQL
 * (custom_sql rules) in the SQL sandbox, able to read only `reads` (the checked version's table).
 */
export type TRuleDatabase = {
  pool: pg.Pool;
  sandbox: Pick<TSqlSandbox, "query">;
  reads: string[];
};

/** The data-plane table of a version, as the compiler needs it. */
export const toTableRef = (version: { tableName: string; schema: unknown }): TTableRef => ({
  schema: DATA_SCHEMA,
  table: version.tableName,
  columns: ((version.schema as TStoredColumn[] | null) ?? []).map(({ name, type }) => ({ name, type })),
});

/** Runs one compiled statement against the version tables; untrusted SQL in the sandbox. */
export const runCompiledQuery = async (
  database: TRuleDatabase,
  query: { sql: string; params: unknown[]; untrusted: boolean },
): Promise<TSqlRow[]> => {
  if (!query.untrusted) return (await database.pool.query(query.sql, query.params)).rows as TSqlRow[];
  return database.sandbox.query(query.sql, query.params, database.reads);
};

// SQLSTATE classes that mean "this pattern is bad": data exceptions (22: invalid regular expression,
// a NUL byte) and program limits (54: regular expression too complex), plus a compile that ran too long.
const PATTERN_ERROR = /^(22|54)|^57014$/;
const PATTERN_COMPILE_TIMEOUT_MS = 1_000;

/**
 * Has PostgreSQL compile a regular expression (ARE flavour, as `~` runs it) and returns its error
 * message, or null when the pattern compiles. The pattern is a bind parameter, never SQL text.
 */
export const findPatternError = async (pool: pg.Pool, pattern: string): Promise<string | null> => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`SET LOCAL statement_timeout = ${PATTERN_COMPILE_TIMEOUT_MS}`);
    await client.query("SELECT '' ~ $1::text", [pattern]);
    await client.query("COMMIT");
    return null;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const code = (error as { code?: string }).code ?? "";
    if (!PATTERN_ERROR.test(code)) throw error;
    return code === "57014" ? "too costly to compile" : (error as Error).message;
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

/** Opens (or reopens, on a retry) the RUNNING run a job writes its results under. */
export const upsertRunningRun = async (
  deps: TDeps,
  run: { id: string; versionId: string; trigger: string },
): Promise<void> => {
  await deps.db.qualityRun.upsert({
    where: { id: run.id },
    create: { ...run, status: "RUNNING" },
    update: { status: "RUNNING", finishedAt: null },
  });
};

/** Closes a run with its status and score, and sets its version's score and gate flag. */
export const closeRun = async (
  deps: TDeps,
  run: { id: string; versionId: string; status: RunStatus; score: number | null; qualityFailed: boolean },
): Promise<void> => {
  await deps.db.qualityRun.update({
    where: { id: run.id },
    data: { status: run.status, score: run.score, finishedAt: new Date() },
  });
  await deps.db.datasetVersion.update({
    where: { id: run.versionId },
    data: { qualityScore: run.score, qualityFailed: run.qualityFailed },
  });
};

export const deleteRunningRuns = async (deps: TDeps, versionId: string): Promise<void> => {
  await deps.db.qualityRun.deleteMany({ where: { versionId, status: "RUNNING" } });
};

/** One page of runs, newest first, of a version or of every version of a dataset, with the version's number. */
export const findRunsPage = (
  deps: TDeps,
  of: { versionId: string } | { datasetId: string },
  page: TPageArgs,
) =>
  findConnectionPage(
    deps.db.qualityRun,
    {
      where: "versionId" in of ? { versionId: of.versionId } : { version: { datasetId: of.datasetId } },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      include: { version: { select: { number: true } } },
    },
    page,
  );

/** A run's results with their rules, by rule name. */
export const findResultsOfRun = (deps: TDeps, runId: string) =>
  deps.db.qualityResult.findMany({
    where: { runId },
    include: { rule: true },
    orderBy: { rule: { name: "asc" } },
  });

/** READY versions of a dataset, oldest first, each with its latest finished run (if any). */
export const findReadyVersionsWithLatestRun = (deps: TDeps, datasetId: string) =>
  deps.db.datasetVersion.findMany({
    where: { datasetId, status: "READY" },
    orderBy: { number: "asc" },
    include: {
      qualityRuns: {
        where: { finishedAt: { not: null } },
        orderBy: { finishedAt: "desc" },
        take: 1,
      },
    },
  });

export const setQualityOverride = (tx: TAuditedTransaction, versionId: string) =>
  tx.datasetVersion.update({ where: { id: versionId }, data: { qualityOverride: true } });

/** Has PostgreSQL plan (never run) a statement in the SQL sandbox, able to read only `reads`. */
export const explainInSandbox = async (deps: TDeps, sql: string, reads: string[]): Promise<void> => {
  await deps.sandbox.query(`EXPLAIN ${sql}`, [], reads);
};
