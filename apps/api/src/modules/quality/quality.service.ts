import type { Prisma, QualityResult, QualityRule, QualityRun, Severity } from "@dam/db/client";
import { qualifiedTable } from "@dam/db/data-plane";
import { compileCustomSql } from "@dam/quality/compile";
import { parseRule } from "@dam/quality/rule-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { qualityRunJob } from "./quality.jobs.ts";
import {
  explainInSandbox,
  findPatternError,
  findReadyVersion,
  findReadyVersionsWithLatestRun,
  findResultsOfRun,
  findRunsPage,
  setQualityOverride,
} from "./quality.repository.ts";
import {
  deleteRule,
  findDatasetById,
  findRuleById,
  findRulesOfDataset,
  insertRule,
  updateRule,
} from "./quality-rules.repository.ts";
import { syncQualitySchedules, validateCron } from "./quality-schedule.service.ts";
import { assertRuleColumns } from "./rule-columns.service.ts";

// Parent types of the quality resolvers (codegen mappers).
export type TQualityRuleModel = QualityRule;
export type TQualityRunModel = QualityRun & { version: { number: number } };
export type TQualityResultModel = QualityResult & { rule: QualityRule };

export type TRuleInput = {
  name: string;
  type: string;
  params: unknown;
  severity?: Severity | null;
  enabled?: boolean | null;
  schedule?: string | null;
};
export type TRulePatch = {
  name?: string | null;
  params?: unknown;
  severity?: Severity | null;
  enabled?: boolean | null;
  schedule?: string | null;
};

// Names are shown, never parsed: any printable text of 1-100 characters that starts visibly.
const NAME = /^[^\p{C}\s][^\p{C}]{0,99}$/u;

const checkRule = async (deps: TDeps, rule: { id: string; type: string; params: unknown; name: string }) => {
  if (!NAME.test(rule.name)) {
    throw new AppError("BAD_USER_INPUT", "name: 1-100 printable characters, not starting with a space", {
      field: "name",
    });
  }
  const parsed = parseRule({ ...rule, severity: "ERROR" });
  if (!parsed.ok) throw new AppError("BAD_USER_INPUT", parsed.message, { field: "params" });
  if (parsed.rule.type === "regex") await checkPattern(deps, parsed.rule.params.pattern, "params.pattern");
  if (parsed.rule.type === "ref_integrity") {
    const ref = await findDatasetById(deps, parsed.rule.params.refDatasetId);
    if (!ref)
      throw new AppError("BAD_USER_INPUT", "params.refDatasetId: no such dataset", { field: "params" });
  }
  return parsed.rule.params;
};

/**
 * Refuses a regular expression PostgreSQL will not compile, with PostgreSQL's own message: the database
 * runs the pattern, so its dialect decides (JavaScript accepts `(?<n>a)\k<n>` and `\p{L}`, PostgreSQL
 * does not). Cleaning conditions (`matches`) use it too.
 */
export const checkPattern = async (deps: TDeps, pattern: string, path: string): Promise<void> => {
  const message = await findPatternError(deps.pool, pattern);
  if (message !== null) {
    throw new AppError("BAD_USER_INPUT", `${path}: PostgreSQL cannot use this pattern: ${message}`, {
      field: path.split(/[.[]/)[0],
    });
  }
};

// SQLSTATE classes of a statement PostgreSQL refuses to plan: syntax or access rule violations (42),
// data exceptions (22), feature not supported (0A), invalid names (3F, 3D).
const PLAN_ERROR = /^(42|22|0A|3F|3D)/;

/**
 * Has PostgreSQL plan a custom SQL rule's statement exactly as a run compiles it, in the SQL sandbox
 * against the dataset's newest READY version (EXPLAIN: planned, never executed): a syntax error, an
 * unknown column or a table the sandbox may not read is refused now with PostgreSQL's own message. A
 * dataset with no READY version has no table to plan against yet: its rule is planned when it first
 * runs, and fails alone (ERRORED) if PostgreSQL refuses it then.
 */
const explainCustomSql = async (deps: TDeps, datasetId: string, rule: { type: string; params: unknown }) => {
  if (rule.type !== "custom_sql") return;
  const parsed = parseRule({ id: "check", type: rule.type, params: rule.params, severity: "ERROR" });
  if (!parsed.ok || parsed.rule.type !== "custom_sql") return;
  const version = await findReadyVersion(deps, datasetId);
  if (!version) return;
  const { sql } = compileCustomSql(qualifiedTable(version.tableName), parsed.rule);
  try {
    await explainInSandbox(deps, sql, [version.tableName]);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !PLAN_ERROR.test(code)) throw error;
    throw new AppError(
      "BAD_USER_INPUT",
      `params.sql: PostgreSQL refused the statement: ${(error as Error).message}`,
      {
        field: "params",
        sqlState: code,
      },
    );
  }
};

const normaliseSchedule = (schedule: string | null | undefined): string | null | undefined => {
  if (schedule === undefined) return undefined;
  const trimmed = schedule?.trim() ?? "";
  if (trimmed === "") return null;
  validateCron(trimmed);
  return trimmed;
};

const uniqueName = async <T>(write: () => Promise<T>, name: string): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", `A rule named "${name}" already exists on this dataset`, {
        field: "name",
      });
    }
    throw error;
  }
};

export const findQualityRules = (deps: TDeps, datasetId: string) => findRulesOfDataset(deps, datasetId);

export const createQualityRule = async (
  deps: TDeps,
  actor: TPrincipal,
  datasetId: string,
  input: TRuleInput,
) => {
  const dataset = await findDatasetById(deps, datasetId);
  if (!dataset) throw new AppError("NOT_FOUND", `Dataset ${datasetId} not found`);
  const params = await checkRule(deps, { id: "new", ...input });
  await assertRuleColumns(deps, datasetId, { type: input.type, params });
  await explainCustomSql(deps, datasetId, { type: input.type, params });
  const schedule = normaliseSchedule(input.schedule) ?? null;
  const rule = await uniqueName(
    () =>
      inAuditedTransaction(deps.db, async (tx) => {
        const created = await insertRule(tx, datasetId, {
          name: input.name,
          type: input.type,
          params: params as Prisma.InputJsonValue,
          severity: input.severity ?? "ERROR",
          enabled: input.enabled ?? true,
          schedule,
        });
        await recordAudit(tx, actor, "quality.rule.create", "QualityRule", created.id, {
          dataset: dataset.name,
          name: created.name,
          type: created.type,
        });
        return created;
      }),
    input.name,
  );
  await syncQualitySchedules(deps, datasetId);
  return rule;
};

export const updateQualityRule = async (deps: TDeps, actor: TPrincipal, id: string, patch: TRulePatch) => {
  const rule = await findRuleById(deps, id);
  if (!rule) throw new AppError("NOT_FOUND", `Quality rule ${id} not found`);
  const name = patch.name ?? rule.name;
  const params = await checkRule(deps, { id, type: rule.type, name, params: patch.params ?? rule.params });
  if (patch.params !== undefined && patch.params !== null) {
    await assertRuleColumns(deps, rule.datasetId, { type: rule.type, params });
    await explainCustomSql(deps, rule.datasetId, { type: rule.type, params });
  }
  const schedule = normaliseSchedule(patch.schedule);
  const updated = await uniqueName(
    () =>
      inAuditedTransaction(deps.db, async (tx) => {
        const written = await updateRule(tx, id, {
          name,
          params: params as Prisma.InputJsonValue,
          ...(patch.severity ? { severity: patch.severity } : {}),
          ...(typeof patch.enabled === "boolean" ? { enabled: patch.enabled } : {}),
          ...(schedule !== undefined ? { schedule } : {}),
        });
        await recordAudit(tx, actor, "quality.rule.update", "QualityRule", id, {
          changed: Object.keys(patch),
        });
        return written;
      }),
    name,
  );
  await syncQualitySchedules(deps, rule.datasetId);
  return updated;
};

export const deleteQualityRule = async (deps: TDeps, actor: TPrincipal, id: string) => {
  const rule = await findRuleById(deps, id);
  if (!rule) throw new AppError("NOT_FOUND", `Quality rule ${id} not found`);
  await inAuditedTransaction(deps.db, async (tx) => {
    await deleteRule(tx, id);
    await recordAudit(tx, actor, "quality.rule.delete", "QualityRule", id, { name: rule.name });
  });
  await syncQualitySchedules(deps, rule.datasetId);
  return true;
};

export const findQualityRuns = async (
  deps: TDeps,
  args: { versionId?: string | null; datasetId?: string | null; first: number; after?: string | null },
) => {
  if (!args.versionId && !args.datasetId) {
    throw new AppError("BAD_USER_INPUT", "qualityRuns: give versionId or datasetId", { field: "versionId" });
  }
  return findRunsPage(
    deps,
    args.versionId ? { versionId: args.versionId } : { datasetId: args.datasetId ?? "" },
    args,
  );
};

export const findRunResults = (deps: TDeps, runId: string) => findResultsOfRun(deps, runId);

/** Score of each version's latest finished run, oldest version first. */
export const findQualityTrend = async (deps: TDeps, datasetId: string) => {
  const versions = await findReadyVersionsWithLatestRun(deps, datasetId);
  return versions.flatMap((version) => {
    const run = version.qualityRuns[0];
    return run?.finishedAt
      ? [{ versionId: version.id, versionNumber: version.number, score: run.score, at: run.finishedAt }]
      : [];
  });
};

export const runQualityCheck = async (deps: TDeps, actor: TPrincipal, versionId: string) => {
  // Only READY versions are checked; a gated one too, since a new check is how its gate may open.
  await readUsableVersion(deps, versionId, { field: "versionId", qualityGate: false });
  return enqueueJob(deps, qualityRunJob, { versionId, trigger: "manual" as const }, { actor, rerun: true });
};

/** Called when a version becomes READY: its first check (deterministic job id, queued once). */
export const enqueueImportQualityRun = async (deps: TDeps, versionId: string): Promise<void> => {
  await enqueueJob(deps, qualityRunJob, { versionId, trigger: "import" as const });
};

export const overrideQualityGate = async (
  deps: TDeps,
  actor: TPrincipal,
  versionId: string,
  reason: string,
) => {
  const version = await findVersionById(deps, versionId);
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
  const why = reason.trim();
  if (why.length < 3) {
    throw new AppError("BAD_USER_INPUT", "reason: say why the failure is acceptable (3+ characters)", {
      field: "reason",
    });
  }
  if (!version.qualityFailed) {
    throw new AppError(
      "CONFLICT",
      `Version ${versionId} has not failed its quality gate; nothing to override`,
    );
  }
  return inAuditedTransaction(deps.db, async (tx) => {
    const updated = await setQualityOverride(tx, versionId);
    await recordAudit(tx, actor, "quality.override", "DatasetVersion", versionId, {
      reason: why,
      qualityScore: version.qualityScore,
    });
    return updated;
  });
};
