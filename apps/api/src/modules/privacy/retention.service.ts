import { rm } from "node:fs/promises";
import type { RetentionRun } from "@dam/db/client";
import { dropVersionTable } from "@dam/db/data-plane";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { armRecurringJob } from "../jobs/recurring-job.ts";
import { modelInputIds, readModelInputs } from "../models/model-inputs.ts";
import { RETENTION_CRON, RETENTION_JOB, RETENTION_SCHEDULER_ID, retentionJob } from "./privacy.jobs.ts";
import {
  countVersionDependants,
  datasetExists,
  deleteUpload,
  findLatestRetentionRuns,
  findLiveModelInputs,
  findPolicies,
  findPoliciesWithDatasetName,
  findPolicyOfDataset,
  findUploadsBefore,
  findVersionsForRetention,
  insertRetentionRun,
  setVersionExpired,
  upsertRetentionPolicy,
} from "./retention.repository.ts";

export type TRetentionRunModel = RetentionRun;

const DAY_MS = 86_400_000;
const MAX_DAYS = 36_500;

export type TRetentionItem = {
  type: "upload" | "version";
  id: string;
  datasetId: string;
  label: string;
  reason: string;
};

const checkDays = (field: string, value: number | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_DAYS) {
    throw new AppError(
      "BAD_USER_INPUT",
      `${field}: a whole number of days from 0 to ${MAX_DAYS}, or null to keep forever`,
      {
        field,
      },
    );
  }
  return value;
};

/** Sets (or clears, with nulls) a dataset's retention policy; audited. */
export const setRetentionPolicy = async (
  deps: TDeps,
  actor: TPrincipal,
  input: { datasetId: string; uploadDays?: number | null; supersededDays?: number | null },
) => {
  const uploadDays = checkDays("uploadDays", input.uploadDays);
  const supersededDays = checkDays("supersededDays", input.supersededDays);
  const datasetId = input.datasetId;
  if (!(await datasetExists(deps.db, datasetId)))
    throw new AppError("NOT_FOUND", `Dataset ${datasetId} not found`, { field: "datasetId" });
  return inAuditedTransaction(deps.db, async (tx) => {
    const policy = await upsertRetentionPolicy(tx, {
      datasetId,
      uploadDays,
      supersededDays,
      updatedById: actor.userId,
    });
    await recordAudit(tx, actor, "privacy.retention.set", "Dataset", datasetId, {
      uploadDays,
      supersededDays,
    });
    return policy;
  });
};

export const requestRetentionRun = (deps: TDeps, actor: TPrincipal) =>
  enqueueJob(
    deps,
    retentionJob,
    { trigger: "manual" as const },
    {
      actor,
      rerun: true,
      audit: {
        action: "privacy.retention.enforce",
        targetType: "RetentionRun",
        targetId: "manual",
        details: {},
      },
    },
  );

/** Arms the nightly enforcement (idempotent: one scheduler id); the worker calls it on start. */
export const armNightlyRetention = (deps: TDeps) =>
  armRecurringJob(deps, {
    queue: "maintenance",
    name: RETENTION_JOB,
    schedulerId: RETENTION_SCHEDULER_ID,
    cron: RETENTION_CRON,
    payload: { trigger: "schedule" },
    inputIds: [],
    message: `Next nightly retention run (${RETENTION_CRON})`,
  });

const ZFileSourcePaths = z.object({ paths: z.array(z.string()) });

/** Why a superseded version must keep its table, or null when nothing live reads it. */
const liveDependant = async (
  deps: TDeps,
  versionId: string,
  models: { id: string; name: string; version: number; inputs: unknown }[],
) => {
  const model = models.find((m) => modelInputIds(readModelInputs(m.inputs)).includes(versionId));
  if (model) return `model ${model.name} v${model.version} was trained on it`;
  const { embeddings, images, profiles, projects } = await countVersionDependants(deps.db, versionId);
  if (embeddings > 0) return `${embeddings} embedding set(s) were made from it`;
  if (images > 0) return `${images} image set(s) belong to it`;
  if (profiles > 0) return `${profiles} profile set(s) were built from it`;
  if (projects > 0) return `${projects} open label project(s) read it`;
  return null;
};

/**
 * Enforces every policy: uploads older than `uploadDays` (and read by no dataset without such a policy)
 * are deleted; READY versions superseded (a newer READY version of the dataset exists) for longer than
 * `supersededDays` lose their table and become EXPIRED, metadata and lineage kept, unless something live
 * depends on them (a model not retired, an embedding, image or profile set, an open label project): those
 * are kept and the record says why. Idempotent: what is gone is not found again.
 */
export const enforceRetention = async (deps: TDeps, trigger: "schedule" | "manual", ctx: TJobContext) => {
  const now = Date.now();
  const removed: TRetentionItem[] = [];
  const kept: TRetentionItem[] = [];
  const policies = await findPoliciesWithDatasetName(deps.db);
  const models = await findLiveModelInputs(deps.db);
  const allVersions = await findVersionsForRetention(deps.db);
  const policyOf = new Map(policies.map((p) => [p.datasetId, p]));
  for (const [i, policy] of policies.entries()) {
    await ctx.checkpoint();
    const versions = allVersions.filter((v) => v.datasetId === policy.datasetId);
    if (policy.supersededDays !== null) {
      const ready = versions.filter((v) => v.status === "READY");
      for (const [j, version] of ready.entries()) {
        const successor = ready.slice(j + 1).find((v) => v.readyAt !== null);
        if (!successor?.readyAt || now - successor.readyAt.getTime() < policy.supersededDays * DAY_MS)
          continue;
        const item = {
          type: "version" as const,
          id: version.id,
          datasetId: policy.datasetId,
          label: `${policy.dataset.name} v${version.number}`,
        };
        const why = await liveDependant(deps, version.id, models);
        if (why) {
          kept.push({ ...item, reason: `kept: ${why}` });
          continue;
        }
        await dropVersionTable(deps.pool, version.tableName);
        await setVersionExpired(deps.db, version.id);
        removed.push({
          ...item,
          reason: `superseded by v${successor.number} for more than ${policy.supersededDays} days`,
        });
      }
    }
    if (policy.uploadDays !== null) {
      const paths = new Set(
        versions.flatMap((v) => {
          const parsed = ZFileSourcePaths.safeParse(v.source);
          return parsed.success ? parsed.data.paths : [];
        }),
      );
      const cutoff = new Date(now - policy.uploadDays * DAY_MS);
      const uploads = await findUploadsBefore(deps.db, [...paths], cutoff);
      for (const upload of uploads) {
        const sharedWith = allVersions.find((v) => {
          if (v.datasetId === policy.datasetId) return false;
          const parsed = ZFileSourcePaths.safeParse(v.source);
          const other = policyOf.get(v.datasetId);
          return (
            parsed.success && parsed.data.paths.includes(upload.path) && (other?.uploadDays ?? null) === null
          );
        });
        const item = {
          type: "upload" as const,
          id: upload.id,
          datasetId: policy.datasetId,
          label: upload.originalName,
        };
        if (sharedWith) {
          kept.push({ ...item, reason: "kept: another dataset without an upload policy imported it" });
          continue;
        }
        await rm(upload.path, { force: true });
        await deleteUpload(deps.db, upload.id);
        removed.push({ ...item, reason: `older than ${policy.uploadDays} days` });
      }
    }
    await ctx.progress((100 * (i + 1)) / policies.length, `${i + 1} of ${policies.length} policies`);
  }
  const run = await insertRetentionRun(deps.db, { trigger, jobId: ctx.jobRecordId, removed, kept });
  return { runId: run.id, removed: removed.length, kept: kept.length };
};

const ZItems = z.array(
  z.object({
    type: z.enum(["upload", "version"]),
    id: z.string(),
    datasetId: z.string(),
    label: z.string(),
    reason: z.string(),
  }),
);
export const readRetentionItems = (value: unknown): TRetentionItem[] => {
  const parsed = ZItems.safeParse(value);
  return parsed.success ? parsed.data : [];
};

export const findDatasetRetentionPolicy = (deps: TDeps, datasetId: string) =>
  findPolicyOfDataset(deps.db, datasetId);

export const findRetentionPolicies = (deps: TDeps) => findPolicies(deps.db);

export const findRetentionRuns = (deps: TDeps, first: number) => findLatestRetentionRuns(deps.db, first);
