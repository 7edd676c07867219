import { randomUUID } from "node:crypto";
import type { ModelVersion } from "@dam/db/client";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { readCatalogSource } from "../features/embedding-source.ts";
import { findFeatureSet } from "../features/fusion.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { checkSegmentSet, findNewestSegmentSetOf } from "../shopper-profiles/segment-membership.service.ts";
import { readModelInputs, type TModelInputs } from "./model-inputs.ts";
import {
  isTrainableAlgorithm,
  parseAlgorithmParams,
  readsItemFeatures,
  TRAINABLE_ALGORITHMS,
  TRAINING_PROTOCOLS,
  type TTrainingProtocol,
  ZTrainingOptions,
} from "./model-params.ts";
import { trainModelJob } from "./models.jobs.ts";
import {
  countVersionsByName,
  createModelVersion,
  findActiveVersions,
  findLastVersionNumber,
  findModelVersionById,
  findModelVersionPage,
  findModelVersionsByIds,
} from "./models.repository.ts";
import { readEventsSource } from "./training-data.ts";

export type TModelVersionModel = ModelVersion;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MAX_COMPARED = 8;

export type TTrainModelInput = {
  name: string;
  algorithm: string;
  eventsVersionId: string;
  catalogVersionId?: string | null;
  featureSetId?: string | null;
  segmentSetId?: string | null;
  params?: unknown;
  protocol: TTrainingProtocol;
  seed?: number | null;
  eventWeights?: unknown;
  validateEvery?: number | null;
};

const badInput = (field: string, message: string) =>
  new AppError("BAD_USER_INPUT", `${field}: ${message}`, { field });

/**
 * Creates a TRAINING model version (the next version number of `name`) and queues models.train for
 * it. Everything that can be checked before training is checked here, so a bad request fails now and
 * not in a worker: the algorithm, its params, the events version (READY, userId and itemId roles, its
 * quality gate passed or overridden), the optional catalogue version, feature set and segment set.
 */
export const trainModel = async (deps: TDeps, actor: TPrincipal | null, input: TTrainModelInput) => {
  if (!MODEL_NAME.test(input.name)) {
    throw badInput("name", "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
  }
  if (!isTrainableAlgorithm(input.algorithm)) {
    throw badInput(
      "algorithm",
      `${input.algorithm} cannot be trained by the training job; choose one of ${TRAINABLE_ALGORITHMS.join(", ")}`,
    );
  }
  const params = parseAlgorithmParams(input.algorithm, input.params);
  if (!params.ok) throw new AppError("BAD_USER_INPUT", params.message, { field: "params" });
  const options = ZTrainingOptions.safeParse({
    ...(input.seed != null ? { seed: input.seed } : {}),
    ...(input.eventWeights != null ? { eventWeights: input.eventWeights } : {}),
    ...(input.validateEvery != null ? { validateEvery: input.validateEvery } : {}),
  });
  if (!options.success) {
    const issue = options.error.issues[0]!;
    throw badInput(String(issue.path[0] ?? "options"), `${issue.message}`);
  }
  const events = await readEventsSource(deps, input.eventsVersionId);
  if (!events.ok) {
    throw new AppError(events.code, events.message, {
      field: "eventsVersionId",
      ...(events.reason ? { reason: events.reason } : {}),
    });
  }
  if (input.catalogVersionId) {
    const catalog = await readCatalogSource(deps, input.catalogVersionId, "{itemId}");
    if (!catalog.ok)
      throw new AppError("PRECONDITION_FAILED", catalog.message, { field: "catalogVersionId" });
  }
  const readsFeatures = readsItemFeatures(input.algorithm, params.params);
  if (readsFeatures && !input.featureSetId) {
    throw badInput("featureSetId", `${input.algorithm} reads item features: give a READY feature set`);
  }
  if (input.featureSetId) {
    const set = await findFeatureSet(deps, input.featureSetId);
    if (!set)
      throw new AppError("NOT_FOUND", `Feature set ${input.featureSetId} does not exist`, {
        field: "featureSetId",
      });
    if (readsFeatures && set.status !== "READY") {
      throw new AppError(
        "PRECONDITION_FAILED",
        `Feature set ${set.name} v${set.version} is ${set.status}, not READY`,
        { field: "featureSetId" },
      );
    }
  }
  // Segment popularity for cold users: the set asked for, else the newest READY one profiled from the
  // same events, decided now so the version's inputs say exactly which set the artifact carries.
  let segmentSetId = input.segmentSetId ?? null;
  if (segmentSetId) {
    const check = await checkSegmentSet(deps, segmentSetId);
    if (!check.ok) throw new AppError(check.code, check.message, { field: "segmentSetId" });
  } else {
    segmentSetId = await findNewestSegmentSetOf(deps, input.eventsVersionId);
  }
  const data = {
    name: input.name,
    algorithm: input.algorithm,
    protocol: input.protocol,
    params: { algorithm: params.params, training: options.data },
  };
  const inputs: TModelInputs = {
    eventsVersionId: input.eventsVersionId,
    catalogVersionId: input.catalogVersionId ?? null,
    featureSetId: input.featureSetId ?? null,
    segmentSetId,
  };
  // Next version number of the name (a concurrent request taking the same number retries); the
  // version, its job and the audit entry commit in one transaction (jobs.service.ts#enqueueJob).
  for (let attempt = 0; ; attempt++) {
    const id = randomUUID();
    const version = ((await findLastVersionNumber(deps, data.name)) ?? 0) + 1;
    try {
      return await enqueueJob(
        deps,
        trainModelJob,
        { modelVersionId: id },
        {
          actor,
          alsoWrite: (tx) => createModelVersion(tx, { ...data, inputs, id, version }),
          audit: {
            action: "models.train",
            targetType: "ModelVersion",
            targetId: id,
            details: {
              name: data.name,
              version,
              algorithm: data.algorithm,
              protocol: data.protocol,
              eventsVersionId: input.eventsVersionId,
              segmentSetId,
            },
          },
        },
      );
    } catch (error) {
      const unique = (error as { code?: string }).code === "P2002";
      if (!unique || attempt >= 4) throw error;
    }
  }
};

export const findModelVersion = (deps: TDeps, id: string) => findModelVersionById(deps, id);

export const findModelVersionsIn = (deps: TDeps, ids: readonly string[]) => findModelVersionsByIds(deps, ids);

export const findModelVersions = (
  deps: TDeps,
  args: { name?: string | null; first: number; after?: string | null },
) => findModelVersionPage(deps, args);

/** Distinct model names with how many versions each has and which is ACTIVE. */
export const findModelNames = async (deps: TDeps) => {
  const groups = await countVersionsByName(deps);
  const active = await findActiveVersions(deps);
  return groups.map((group) => ({
    ...group,
    active: active.find((model) => model.name === group.name) ?? null,
  }));
};

/** The versions in the order asked, for a side-by-side view; unknown ids are an error, not a gap. */
export const compareModels = async (deps: TDeps, ids: readonly string[]) => {
  if (ids.length < 1 || ids.length > MAX_COMPARED) {
    throw badInput("ids", `give 1 to ${MAX_COMPARED} model version ids`);
  }
  const rows = await findModelVersionsByIds(deps, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new AppError("NOT_FOUND", `Model version(s) ${missing.join(", ")} do not exist`, { field: "ids" });
  }
  const versions = ids.map((id) => byId.get(id)!);
  // Only trained versions have an applied protocol (split name and cut) to compare.
  const protocols = new Set(versions.flatMap((version) => readMetrics(version)?.protocol ?? []));
  let best: ModelVersion | null = null;
  for (const version of versions) {
    const ndcg = primaryMetric(version);
    if (ndcg !== null && (best === null || ndcg > (primaryMetric(best) ?? -1))) best = version;
  }
  return { versions, sameProtocol: protocols.size <= 1, bestId: best?.id ?? null };
};

type TStoredMetrics = {
  protocol?: string;
  test?: Record<string, number>;
  validation?: Record<string, number>;
};

export const readMetrics = (model: ModelVersion): TStoredMetrics | null => {
  const metrics = model.metrics as TStoredMetrics | null;
  return metrics && typeof metrics === "object" && metrics.test ? metrics : null;
};

/** Test NDCG@10, the registry's primary metric; null before the version is trained. */
export const primaryMetric = (model: ModelVersion): number | null => readMetrics(model)?.test?.ndcg ?? null;

const ZTrainingProtocol = z.enum(TRAINING_PROTOCOLS);
const ZStoredParams = z.object({
  algorithm: z.unknown().optional(),
  training: ZTrainingOptions.partial().optional(),
});

/**
 * Trains a model version again as a new version of the same name: the same algorithm, params, protocol,
 * training options and inputs (the events version and catalogue as they are now, e.g. after an erasure
 * removed rows). Every check of trainModel applies.
 */
export const retrainModel = async (deps: TDeps, actor: TPrincipal, id: string) => {
  const model = await findModelVersionById(deps, id);
  if (!model) throw new AppError("NOT_FOUND", `Model version ${id} not found`, { field: "id" });
  const inputs = readModelInputs(model.inputs);
  const params = ZStoredParams.safeParse(model.params);
  const training = params.success ? (params.data.training ?? {}) : {};
  const protocol = ZTrainingProtocol.safeParse(model.protocol);
  return trainModel(deps, actor, {
    name: model.name,
    algorithm: model.algorithm,
    eventsVersionId: inputs.eventsVersionId,
    catalogVersionId: inputs.catalogVersionId,
    featureSetId: inputs.featureSetId,
    segmentSetId: inputs.segmentSetId,
    params: params.success ? params.data.algorithm : undefined,
    protocol: protocol.success ? protocol.data : "RANDOM_8_1_1",
    seed: training.seed ?? null,
    eventWeights: training.eventWeights ?? null,
    validateEvery: training.validateEvery ?? null,
  });
};
