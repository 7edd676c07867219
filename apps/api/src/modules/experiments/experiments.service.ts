// Experiments: create (validated), start, stop, read, and promote the winner. Every change is audited.
import { randomBytes } from "node:crypto";
import { checkTrafficPlan } from "@dam/experiments/assignment";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { promoteModel } from "../models/model-registry.service.ts";
import { findModelVersion, findModelVersionsIn } from "../models/models.service.ts";
import { isExperimentMetric } from "./experiment-metrics.ts";
import { readExperimentResults } from "./experiment-results.service.ts";
import { experimentRouterOf } from "./experiment-router.ts";
import {
  createExperimentRow,
  findExperimentById,
  findExperimentByName,
  findExperimentsPage,
  startExperimentRow,
  updateExperiment,
} from "./experiments.repository.ts";

const MAX_VARIANTS = 5;
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export type TCreateExperimentInput = {
  name: string;
  description?: string | null;
  modelName: string;
  variants: { key: string; modelVersionId: string; share: number; isControl?: boolean | null }[];
  primaryMetric: string;
  guardrailMetrics?: string[] | null;
  coverage?: number | null;
  alpha?: number | null;
  sequential?: boolean | null;
  plannedUsersPerVariant?: number | null;
  attributionWindowMinutes?: number | null;
  startAt?: Date | null;
  endAt?: Date | null;
  salt?: string | null;
};

const bad = (field: string, message: string) => new AppError("BAD_USER_INPUT", message, { field });

const checkInput = (input: TCreateExperimentInput) => {
  const name = input.name.trim();
  if (name === "" || name.length > 120) throw bad("name", "name must be 1 to 120 characters");
  if (input.variants.length < 2 || input.variants.length > MAX_VARIANTS) {
    throw bad("variants", `an experiment has 2 to ${MAX_VARIANTS} variants, got ${input.variants.length}`);
  }
  const keys = new Set<string>();
  input.variants.forEach((variant, index) => {
    if (!KEY_PATTERN.test(variant.key)) {
      throw bad(
        `variants[${index}].key`,
        `variant key "${variant.key}" must be 1-40 letters, digits, _ or -`,
      );
    }
    if (keys.has(variant.key))
      throw bad(`variants[${index}].key`, `variant key "${variant.key}" is repeated`);
    keys.add(variant.key);
  });
  const controls = input.variants.filter((v) => v.isControl).length;
  if (controls !== 1) throw bad("variants", `exactly one variant must be the control, got ${controls}`);
  const salt = input.salt ?? randomBytes(8).toString("hex");
  try {
    checkTrafficPlan({ salt, shares: input.variants.map((v) => v.share), coverage: input.coverage ?? 1 });
  } catch (error) {
    throw bad("variants", (error as Error).message);
  }
  if (!isExperimentMetric(input.primaryMetric))
    throw bad("primaryMetric", `unknown metric ${input.primaryMetric}`);
  const alpha = input.alpha ?? 0.05;
  if (!(alpha > 0 && alpha <= 0.2)) throw bad("alpha", `alpha ${alpha} is not within (0, 0.2]`);
  const planned = input.plannedUsersPerVariant ?? 5000;
  if (!Number.isInteger(planned) || planned < 100 || planned > 100_000_000) {
    throw bad("plannedUsersPerVariant", "plannedUsersPerVariant must be an integer from 100 to 100,000,000");
  }
  const window = input.attributionWindowMinutes ?? 1440;
  if (!Number.isInteger(window) || window < 1 || window > 43_200) {
    throw bad("attributionWindowMinutes", "attributionWindowMinutes must be 1 to 43,200 (30 days)");
  }
  if (input.startAt && input.endAt && input.endAt <= input.startAt)
    throw bad("endAt", "endAt is not after startAt");
  return { name, salt, alpha, planned, window };
};

export const createExperiment = async (deps: TDeps, actor: TPrincipal, input: TCreateExperimentInput) => {
  const { name, salt, alpha, planned, window } = checkInput(input);
  const ids = input.variants.map((v) => v.modelVersionId);
  const versions = await findModelVersionsIn(deps, ids);
  input.variants.forEach((variant, index) => {
    const version = versions.find((v) => v.id === variant.modelVersionId);
    if (!version)
      throw new AppError("NOT_FOUND", `Model version ${variant.modelVersionId} does not exist`, {
        field: `variants[${index}].modelVersionId`,
      });
    if (version.name !== input.modelName) {
      throw bad(
        `variants[${index}].modelVersionId`,
        `${version.name} v${version.version} is not a version of ${input.modelName}`,
      );
    }
    if (!(version.status === "READY" || version.status === "ACTIVE") || !version.location) {
      throw bad(
        `variants[${index}].modelVersionId`,
        `${version.name} v${version.version} is ${version.status}; a variant must be READY or ACTIVE`,
      );
    }
  });
  if (await findExperimentByName(deps, name)) {
    throw new AppError("CONFLICT", `An experiment named "${name}" exists`, { field: "name" });
  }
  const guardrails = [...new Set(input.guardrailMetrics ?? [])];
  guardrails.forEach((metric, index) => {
    if (!isExperimentMetric(metric)) throw bad(`guardrailMetrics[${index}]`, `unknown metric ${metric}`);
  });
  return inAuditedTransaction(deps.db, async (tx) => {
    const experiment = await createExperimentRow(tx, {
      name,
      description: input.description ?? "",
      modelName: input.modelName,
      salt,
      primaryMetric: input.primaryMetric,
      guardrailMetrics: guardrails.filter((g) => g !== input.primaryMetric),
      coverage: input.coverage ?? 1,
      alpha,
      sequential: input.sequential ?? true,
      plannedUsersPerVariant: planned,
      attributionWindowMinutes: window,
      startAt: input.startAt ?? null,
      endAt: input.endAt ?? null,
      createdByKeyId: actor.keyId,
      variants: {
        create: input.variants.map((v, position) => ({
          position,
          key: v.key,
          modelVersionId: v.modelVersionId,
          share: v.share,
          isControl: v.isControl ?? false,
        })),
      },
    });
    await recordAudit(tx, actor, "experiments.create", "Experiment", experiment.id, {
      name,
      modelName: input.modelName,
    });
    return experiment;
  });
};

const findOrThrow = async (deps: TDeps, id: string) => {
  const experiment = await findExperimentById(deps, id);
  if (!experiment) throw new AppError("NOT_FOUND", `Experiment ${id} does not exist`, { field: "id" });
  return experiment;
};

export const findExperiment = (deps: TDeps, id: string) => findExperimentById(deps, id);

export const findExperiments = (
  deps: TDeps,
  args: { modelName?: string | null; first: number; after?: string | null },
) => findExperimentsPage(deps, args);

/** The version number of a variant's model version (null when the version is gone). */
export const findVariantVersionNumber = async (deps: TDeps, modelVersionId: string) =>
  (await findModelVersion(deps, modelVersionId))?.version ?? null;

export const startExperiment = async (deps: TDeps, actor: TPrincipal, id: string) => {
  const experiment = await findOrThrow(deps, id);
  if (experiment.status !== "DRAFT") {
    throw new AppError(
      "CONFLICT",
      `Experiment "${experiment.name}" is ${experiment.status}; only a DRAFT starts`,
      { field: "id" },
    );
  }
  // One serialisable transaction: two experiments cannot both start on one model name.
  const { running, started } = await startExperimentRow(deps, experiment, (tx) =>
    recordAudit(tx, actor, "experiments.start", "Experiment", id, { name: experiment.name }),
  );
  if (running) {
    throw new AppError("CONFLICT", `Experiment "${running.name}" already runs on ${experiment.modelName}`, {
      field: "id",
    });
  }
  await experimentRouterOf(deps).refresh();
  return started;
};

export const stopExperiment = async (deps: TDeps, actor: TPrincipal, id: string) => {
  const experiment = await findOrThrow(deps, id);
  if (experiment.status !== "RUNNING") {
    throw new AppError("CONFLICT", `Experiment "${experiment.name}" is ${experiment.status}, not RUNNING`, {
      field: "id",
    });
  }
  const stopped = await inAuditedTransaction(deps.db, async (tx) => {
    const updated = await updateExperiment(tx, id, { status: "STOPPED", stoppedAt: new Date() });
    await recordAudit(tx, actor, "experiments.stop", "Experiment", id, { name: experiment.name });
    return updated;
  });
  await experimentRouterOf(deps).refresh();
  await experimentRouterOf(deps).exposures.flush();
  return stopped;
};

/** Stops the experiment and makes a variant's model version ACTIVE: the winner unless one is named. */
export const promoteExperimentWinner = async (
  deps: TDeps,
  actor: TPrincipal,
  id: string,
  variantKey: string | null | undefined,
) => {
  const experiment = await findOrThrow(deps, id);
  if (experiment.status === "DRAFT") {
    throw new AppError("PRECONDITION_FAILED", `Experiment "${experiment.name}" never ran`, { field: "id" });
  }
  if (experiment.status === "RUNNING") await stopExperiment(deps, actor, id);
  const results = await readExperimentResults(deps, id);
  const key = variantKey ?? results.winner;
  if (!key) {
    throw new AppError("PRECONDITION_FAILED", `No winner to promote: ${results.summary}`, {
      field: "variant",
      verdict: results.verdict,
    });
  }
  const variant = experiment.variants.find((v) => v.key === key);
  if (!variant) throw bad("variant", `Experiment "${experiment.name}" has no variant "${key}"`);
  const version = await findModelVersion(deps, variant.modelVersionId);
  if (!version) throw new Error(`model version ${variant.modelVersionId} of a variant does not exist`);
  // The experiment is the evidence now, not offline NDCG: force past the offline comparison.
  if (version.status !== "ACTIVE") await promoteModel(deps, actor, version.id, true);
  return inAuditedTransaction(deps.db, async (tx) => {
    const updated = await updateExperiment(tx, id, {
      winnerVariantKey: key,
      promotedModelVersionId: version.id,
    });
    await recordAudit(tx, actor, "experiments.promote", "Experiment", id, {
      name: experiment.name,
      variant: key,
      modelVersionId: version.id,
      verdict: results.verdict,
      summary: results.summary,
      chosenByVerdict: variantKey === undefined || variantKey === null,
    });
    return updated;
  });
};
