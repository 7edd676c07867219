import { defaultMaskingMode } from "@dam/privacy/masking";
import { ZMaskingMode, ZPiiType } from "@dam/privacy/pii-types";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit, type TAuditedTransaction } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { findVersionById } from "../datasets/dataset-versions.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { findLinkedVersionIds } from "./pii-lineage.repository.ts";
import {
  findReadyVersionIds,
  findReadyVersionsAmong,
  findTagsOfVersion,
  insertTagIfMissing,
  setTagStatus,
  upsertDecision,
} from "./pii-tags.repository.ts";
import { classifyPiiJob } from "./privacy.jobs.ts";

export type TPiiTagModel = Awaited<ReturnType<TDeps["db"]["columnPiiTag"]["findMany"]>>[number];

export const findVersionPiiTags = (deps: TDeps, versionId: string): Promise<TPiiTagModel[]> =>
  findTagsOfVersion(deps.db, versionId);

const readyVersion = async (deps: TDeps, versionId: string) => {
  const version = await findVersionById(deps, versionId);
  if (!version) throw new AppError("NOT_FOUND", `Dataset version ${versionId} not found`);
  if (version.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Version ${versionId} is ${version.status}; only READY versions are classified`,
    );
  }
  return version;
};

/** Queues the classification of a version again (or returns the job already waiting for it). */
export const requestPiiClassification = async (deps: TDeps, actor: TPrincipal, versionId: string) => {
  await readyVersion(deps, versionId);
  return enqueueJob(
    deps,
    classifyPiiJob,
    { versionId },
    {
      actor,
      rerun: true,
      audit: { action: "version.pii.classify", targetType: "DatasetVersion", targetId: versionId },
    },
  );
};

const ZDecision = z.object({
  versionId: z.string().uuid(),
  column: z.string().min(1).max(256),
  piiType: ZPiiType,
  status: z.enum(["CONFIRMED", "REJECTED"]),
  maskingMode: ZMaskingMode.nullish(),
});

/** A decision as a client sends it; `decidePiiTag` validates it. */
export type TDecidePiiTagInput = {
  versionId: string;
  column: string;
  piiType: string;
  status: string;
  maskingMode?: string | null;
};

const parseDecision = (input: TDecidePiiTagInput) => {
  const parsed = ZDecision.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      "BAD_USER_INPUT",
      `Invalid PII decision at ${issue?.path.join(".") ?? "input"}: ${issue?.message ?? ""}`,
      {
        field: issue?.path.join("."),
      },
    );
  }
  return parsed.data;
};

/**
 * A steward confirms (optionally with a masking mode) or rejects a kind of PII on a column. The decision
 * is kept per dataset and column, so it applies to this version, every other version of the dataset with
 * the column, and the next versions' classification; a confirmed tag also flows to derived versions
 * downstream that have the column.
 */
export const decidePiiTag = async (
  deps: TDeps,
  actor: TPrincipal,
  raw: TDecidePiiTagInput,
): Promise<TPiiTagModel[]> => {
  const input = parseDecision(raw);
  const version = await readyVersion(deps, input.versionId);
  const columns = Array.isArray(version.schema)
    ? (version.schema as { name?: unknown }[]).map((c) => c.name)
    : [];
  if (!columns.includes(input.column)) {
    throw new AppError("BAD_USER_INPUT", `Version ${version.id} has no column "${input.column}"`, {
      field: "column",
    });
  }
  const maskingMode = input.maskingMode ?? null;
  const { column, piiType, status } = input;
  // The lineage walk reads with SQL outside the transaction; every write below commits with its audit entry.
  const downstream = status === "CONFIRMED" ? await findLinkedVersionIds(deps, version.id, "DOWNSTREAM") : [];
  await inAuditedTransaction(deps.db, async (tx) => {
    await upsertDecision(tx, {
      datasetId: version.datasetId,
      column,
      piiType,
      status,
      maskingMode,
      decidedById: actor.userId,
    });
    const mode = maskingMode ?? defaultMaskingMode(piiType);
    const sameDataset = await findReadyVersionIds(tx, version.datasetId);
    await setTagStatus(
      tx,
      { versionIds: sameDataset, column, piiType },
      { status, ...(status === "CONFIRMED" ? { maskingMode: mode } : {}) },
    );
    if (status === "CONFIRMED") {
      await insertTagIfMissing(tx, {
        versionId: version.id,
        column,
        piiType,
        confidence: 1,
        source: "STEWARD",
        status,
        maskingMode: mode,
      });
      await flowDownstream(tx, downstream, version.id, column, piiType, mode);
    }
    await recordAudit(tx, actor, `version.pii.${status.toLowerCase()}`, "DatasetVersion", version.id, {
      column,
      piiType,
      maskingMode,
    });
  });
  return findVersionPiiTags(deps, version.id);
};

/** A confirmed tag reaches every derived version that kept the column (cleaned, attributes, exports). */
const flowDownstream = async (
  tx: TAuditedTransaction,
  downstream: string[],
  versionId: string,
  column: string,
  piiType: string,
  mode: string,
) => {
  if (downstream.length === 0) return;
  const versions = await findReadyVersionsAmong(tx, downstream);
  for (const v of versions) {
    const has = Array.isArray(v.schema) && (v.schema as { name?: unknown }[]).some((c) => c.name === column);
    if (!has) continue;
    await insertTagIfMissing(tx, {
      versionId: v.id,
      column,
      piiType,
      confidence: 1,
      source: "LINEAGE",
      maskingMode: mode,
      inheritedFromVersionId: versionId,
    });
  }
};
