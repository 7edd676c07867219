import { createHash } from "node:crypto";
import { LINE_COLUMN } from "@dam/db/data-plane";
import {
  compileRuleSet,
  readTotalRows,
  type TCompiledPlan,
  type TRuleOutcome,
  type TSqlRow,
  type TTableRef,
} from "@dam/quality/compile";
import { parseRule, type TSeverity, type TTypedRule } from "@dam/quality/rule-types";
import { gateFailed, qualityScore } from "@dam/quality/score";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import { checkUsableVersion } from "../datasets/usable-version.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { findJob } from "../jobs/jobs.service.ts";
import {
  closeRun,
  deleteRunningRuns,
  findReadyVersion,
  runCompiledQuery,
  saveResult,
  type TResultWrite,
  type TRuleDatabase,
  toTableRef,
  upsertRunningRun,
} from "./quality.repository.ts";
import { indexDeclaredKeys } from "./quality-keys.service.ts";
import { findEnabledRules } from "./quality-rules.repository.ts";

export type TQualityTrigger = "import" | "manual" | "schedule";

// One execution of a job (all its retries) keeps one run: the id is derived from the job record and
// the time its first attempt started, which a retry keeps and a deliberate re-run resets.
const runIdFor = (jobRecordId: string, startedAt: Date | null): string => {
  const hex = createHash("sha256")
    .update(`${jobRecordId}:${startedAt?.toISOString() ?? ""}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

// Rules that judge the table as a whole: pass fraction 0 or 1 in the score.
const TABLE_LEVEL = new Set(["row_count", "freshness", "drift"]);

type TRuleRow = { id: string; type: string; params: unknown; severity: TSeverity };

const isErrored = (result: TResultWrite): boolean => "error" in result.observed;

const errored = (ruleId: string, message: string): TResultWrite => ({
  ruleId,
  passed: false,
  failingCount: 0,
  checkedCount: 0,
  observed: { error: message },
  samples: [],
});

/**
 * Runs every enabled rule of the version's dataset on the version table: compiled SQL pushed down to
 * PostgreSQL (one scan for the row-level rules), then failing-row samples for the rules that failed.
 * Stores a QualityRun with one QualityResult per rule and sets the version's score and gate flag.
 */
export const executeQualityRun = async (
  deps: TDeps,
  payload: { versionId: string; trigger: TQualityTrigger },
  ctx: TJobContext,
) => {
  // The quality run measures the gate, so it reads the version whatever the gate says.
  const read = await checkUsableVersion(deps, payload.versionId, { qualityGate: false });
  if (!read.ok) throw new UnrecoverableError(read.message);
  const { version } = read;
  const jobRecord = await findJob(deps, ctx.jobRecordId);
  const runId = runIdFor(ctx.jobRecordId, jobRecord?.startedAt ?? null);
  await upsertRunningRun(deps, { id: runId, versionId: version.id, trigger: payload.trigger });

  const rows: TRuleRow[] = await findEnabledRules(deps, version.datasetId);
  const ruleInfo = new Map(rows.map((rule) => [rule.id, { severity: rule.severity, type: rule.type }]));
  const results = new Map<string, TResultWrite>();
  const rules: TTypedRule[] = [];
  for (const row of rows) {
    const parsed = parseRule(row);
    if (parsed.ok) rules.push(parsed.rule);
    else results.set(row.id, errored(row.id, parsed.message));
  }

  // Normally done when the version became READY; a unique rule added since is indexed now, once.
  await indexDeclaredKeys(deps, version.id);
  const refs: Record<string, TTableRef | null> = {};
  for (const rule of rules) {
    if (rule.type !== "ref_integrity" || rule.params.refDatasetId in refs) continue;
    const ref = await findReadyVersion(deps, rule.params.refDatasetId);
    refs[rule.params.refDatasetId] = ref ? toTableRef(ref) : null;
  }
  const previous = await findReadyVersion(deps, version.datasetId, version.number);
  const plan = compileRuleSet({
    rules,
    target: toTableRef(version),
    refs,
    previous: previous ? toTableRef(previous) : null,
    now: new Date(),
  });
  for (const { ruleId, message } of plan.invalid) results.set(ruleId, errored(ruleId, message));

  const record = (outcome: TRuleOutcome) =>
    results.set(outcome.ruleId, { ...outcome, passed: outcome.failingCount === 0, samples: [] });
  plan.fixed.forEach(record);

  await ctx.checkpoint();
  // User-written SQL reads the checked version's table and nothing else.
  const database: TRuleDatabase = { pool: deps.pool, sandbox: deps.sandbox, reads: [version.tableName] };
  const executed = await runCompiledPlan(database, plan, (done, steps) =>
    ctx.progress((100 * done) / (steps + 1), `${done} of ${steps} queries done`),
  );
  executed.outcomes.forEach(record);
  for (const { ruleIds, message } of executed.failures) {
    for (const ruleId of ruleIds) results.set(ruleId, errored(ruleId, `SQL failed: ${message}`));
  }

  await ctx.checkpoint();
  // A sample shows the version's own columns only: user-written SQL may select anything it can read.
  const shown = new Set([LINE_COLUMN, ...toTableRef(version).columns.map((column) => column.name)]);
  for (const sample of plan.samples) {
    const result = results.get(sample.ruleId);
    if (!result || result.passed || "error" in result.observed) continue;
    result.samples = await runCompiledQuery(database, sample).then(
      (sampled) => (sample.untrusted ? sampled.map((row) => onlyColumns(row, shown)) : sampled),
      (error: Error) => [{ error: `sample query failed: ${error.message}` }],
    );
  }

  for (const result of results.values()) await saveResult(deps, runId, result);
  return finishRun(deps, runId, version.id, [...results.values()], ruleInfo);
};

const onlyColumns = (row: TSqlRow, shown: Set<string>): TSqlRow =>
  Object.fromEntries(Object.entries(row).filter(([name]) => shown.has(name)));

type TPlanFailure = { ruleIds: string[]; message: string };

/**
 * The main scan failed: either one of its rules breaks at run time (a pattern PostgreSQL rejects, a
 * cast) or the table itself cannot be read. Each rule then runs alone, so only the broken ones fail;
 * when every one of them fails too, the table is the problem and the original error is thrown.
 */
const runMainRuleByRule = async (
  database: TRuleDatabase,
  plan: TCompiledPlan,
  mainError: unknown,
): Promise<{ totalRows: number; outcomes: TRuleOutcome[]; failures: TPlanFailure[] }> => {
  const outcomes: TRuleOutcome[] = [];
  const failures: TPlanFailure[] = [];
  let totalRows: number | null = null;
  for (const query of plan.mainByRule) {
    try {
      const rows = await runCompiledQuery(database, query);
      totalRows = readTotalRows(rows);
      outcomes.push(...query.read(rows, totalRows));
    } catch (error) {
      failures.push({
        ruleIds: query.ruleIds,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (totalRows === null) throw mainError;
  return { totalRows, outcomes, failures };
};

/**
 * Runs the plan's main scan and every set-level query at once, each on its own connection: they read
 * the same table independently, so the server works on them side by side instead of one after the
 * other. A query that fails marks its rules (the main scan is then re-run rule by rule to find which);
 * only a table that cannot be read at all fails the run.
 */
export const runCompiledPlan = async (
  database: TRuleDatabase,
  plan: TCompiledPlan,
  onStep: (done: number, steps: number) => Promise<void> = async () => {},
): Promise<{
  totalRows: number;
  outcomes: TRuleOutcome[];
  failures: TPlanFailure[];
}> => {
  const steps = 1 + plan.queries.length;
  let done = 0;
  const step = async <T>(work: Promise<T>): Promise<T> => {
    const value = await work;
    await onStep(++done, steps);
    return value;
  };
  const main = step(runCompiledQuery(database, plan.main));
  const sets = plan.queries.map((query) =>
    step(runCompiledQuery(database, query)).then(
      (rows) => ({ query, rows }),
      (error: unknown) => ({ query, error: error instanceof Error ? error.message : String(error) }),
    ),
  );
  // Every query settles before this returns, whatever fails, so no connection is left mid-query.
  const [mainResult, setResults] = await Promise.all([
    main.then(
      (rows) => ({ rows }),
      (error: unknown) => ({ error }),
    ),
    Promise.all(sets),
  ]);
  const failures: TPlanFailure[] = [];
  let totalRows: number;
  let outcomes: TRuleOutcome[];
  if ("rows" in mainResult) {
    totalRows = readTotalRows(mainResult.rows);
    outcomes = plan.main.read(mainResult.rows, totalRows);
  } else {
    const alone = await runMainRuleByRule(database, plan, mainResult.error);
    ({ totalRows, outcomes } = alone);
    failures.push(...alone.failures);
  }
  for (const result of setResults) {
    if ("error" in result) failures.push({ ruleIds: result.query.ruleIds, message: result.error });
    else outcomes.push(...result.query.read(result.rows, totalRows));
  }
  return { totalRows, outcomes, failures };
};

/**
 * Score and gate from the rules that ran. A rule that could not be evaluated is recorded with its error
 * and makes the run ERRORED, which the steward sees; it takes no part in the score or the gate, so one
 * broken rule can neither block every version nor keep the others from being judged.
 */
const finishRun = async (
  deps: TDeps,
  runId: string,
  versionId: string,
  results: TResultWrite[],
  ruleInfo: Map<string, { severity: TSeverity; type: string }>,
) => {
  const scored = results
    .filter((result) => !isErrored(result))
    .map((result) => ({
      severity: ruleInfo.get(result.ruleId)?.severity ?? "ERROR",
      failingCount: result.failingCount,
      checkedCount: result.checkedCount,
      wholeTable: TABLE_LEVEL.has(ruleInfo.get(result.ruleId)?.type ?? ""),
    }));
  const score = qualityScore(scored);
  const failed = gateFailed(scored);
  const anyBroken = results.some(isErrored);
  const status = anyBroken ? "ERRORED" : results.every((result) => result.passed) ? "PASSED" : "FAILED";
  await closeRun(deps, { id: runId, versionId, status, score, qualityFailed: failed });
  return {
    runId,
    status,
    score,
    qualityFailed: failed,
    rules: results.length,
    failedRules: results.filter((result) => !result.passed).length,
  };
};

/** Undo for a run that failed for good or was cancelled: its unfinished run (and results) go. */
export const discardUnfinishedRuns = async (deps: TDeps, versionId: string): Promise<void> => {
  await deleteRunningRuns(deps, versionId);
};
