import type { ModelVersion } from "@dam/db/client";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { findFeatureSet } from "../features/fusion.service.ts";
import { findJobOf } from "../jobs/jobs.service.ts";
import { describeSegmentSet } from "../shopper-profiles/segment-membership.service.ts";
import { readModelInputs } from "./model-inputs.ts";
import { trainModelJob } from "./models.jobs.ts";
import { findInputVersions } from "./models.repository.ts";

// Stored JSON (ModelVersion.metrics / curves) to GraphQL shapes. The JSON is written by the training
// job only, but parsed defensively: a malformed entry shows as null, never as a crash of the list.

const ZMetricSet = z.object({
  recall: z.number(),
  ndcg: z.number(),
  mrr: z.number(),
  hit: z.number(),
  precision: z.number(),
  coverage: z.number(),
  users: z.number().optional(),
});

export const toRankingMetrics = (raw: unknown, users?: number) => {
  const parsed = ZMetricSet.safeParse(raw);
  if (!parsed.success) return null;
  return { ...parsed.data, users: parsed.data.users ?? users ?? 0 };
};

const ZCurve = z.array(z.object({ epoch: z.number(), loss: z.number(), ndcg: z.number().nullable() }));

export const toCurve = (raw: unknown) => {
  const parsed = ZCurve.safeParse(raw);
  return parsed.success
    ? parsed.data.map((point) => ({ epoch: point.epoch, loss: point.loss, validationNdcg: point.ndcg }))
    : [];
};

const ZDataSummary = z.object({
  data: z.object({ users: z.number(), items: z.number(), interactions: z.number(), events: z.number() }),
  split: z.object({ train: z.number(), valid: z.number(), test: z.number() }),
});

export const toDataSummary = (raw: unknown) => {
  const parsed = ZDataSummary.safeParse(raw);
  if (!parsed.success) return null;
  const { data, split } = parsed.data;
  return {
    ...data,
    trainInteractions: split.train,
    validationInteractions: split.valid,
    testInteractions: split.test,
  };
};

export const findModelInputs = async (deps: TDeps, model: ModelVersion) => {
  const inputs = readModelInputs(model.inputs);
  const versionIds = [inputs.eventsVersionId, inputs.catalogVersionId].filter((id): id is string =>
    Boolean(id),
  );
  const versions = await findInputVersions(deps, versionIds);
  const describe = (role: string, id: string) => {
    const version = versions.find((row) => row.id === id);
    return {
      role,
      id,
      label: version ? `${version.dataset.name} v${version.number}` : null,
      qualityScore: version?.qualityScore ?? null,
    };
  };
  const result = [describe("events", inputs.eventsVersionId)];
  if (inputs.catalogVersionId) result.push(describe("catalog", inputs.catalogVersionId));
  if (inputs.featureSetId) {
    const set = await findFeatureSet(deps, inputs.featureSetId);
    result.push({
      role: "features",
      id: inputs.featureSetId,
      label: set ? `${set.name} v${set.version}` : null,
      qualityScore: null,
    });
  }
  if (inputs.segmentSetId) {
    const set = await describeSegmentSet(deps, inputs.segmentSetId);
    result.push({
      role: "segments",
      id: inputs.segmentSetId,
      label: set ? `${set.algorithm === "KMEANS" ? "k-means" : "DBSCAN"} segments (${set.segments})` : null,
      qualityScore: null,
    });
  }
  return result;
};

export const findTrainingJob = (deps: TDeps, modelVersionId: string) =>
  findJobOf(deps, trainModelJob, { modelVersionId });

const ZNewItems = z.object({
  newItems: z.object({
    share: z.number(),
    items: z.number(),
    users: z.number(),
    model: z.unknown(),
    popularity: z.unknown(),
    randomRecall: z.number(),
  }),
});

/** The new-item protocol's figures stored with the metrics (content models), else null. */
export const toNewItemMetrics = (raw: unknown) => {
  const parsed = ZNewItems.safeParse(raw);
  if (!parsed.success) return null;
  const { newItems } = parsed.data;
  const model = toRankingMetrics(newItems.model, newItems.users);
  const popularity = toRankingMetrics(newItems.popularity, newItems.users);
  if (!model || !popularity) return null;
  return { ...newItems, model, popularity };
};
