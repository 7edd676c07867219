import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { readCatalogSource } from "../features/embedding-source.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage, type TNodeRef } from "../lineage/lineage.service.ts";
import { readSegmentMembership } from "../shopper-profiles/segment-membership.service.ts";
import { readContentFeatures } from "./content-features.ts";
import { fitInThread } from "./fitting-thread.ts";
import { removeModelArtifact, writeAnnIndex, writeModelArtifact } from "./model-artifact-store.ts";
import {
  METRIC_K,
  NEW_ITEM_SHARE,
  PRIMARY_METRIC,
  type TFitResult,
  TrainingInputError,
} from "./model-fitting.ts";
import { readModelInputs } from "./model-inputs.ts";
import {
  isTrainableAlgorithm,
  parseAlgorithmParams,
  readsItemFeatures,
  TRAINING_PROTOCOLS,
  ZTrainingOptions,
} from "./model-params.ts";
import { buildArtifactSegments, segmentOfLogUsers } from "./model-segments.ts";
import { findModelVersionById, markTrainingFailed, markVersionTrained } from "./models.repository.ts";
import { readEventsSource, readTrainingData } from "./training-data.ts";

const ZStoredParams = z.object({ algorithm: z.record(z.string(), z.unknown()), training: ZTrainingOptions });

const fail = (message: string): never => {
  throw new UnrecoverableError(message);
};

const round = (value: number) => Math.round(value * 1e6) / 1e6;

const withoutUsers = ({ users: _users, ...rest }: Record<string, number>) => rest;

const metricsAt = (metrics: Record<string, number>) =>
  Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, round(value)]));

/**
 * The models.train job: reads the EVENTS version (refused while its quality gate is failed and not
 * overridden), fits and evaluates per the version's declared protocol, writes the artifact, then marks
 * the version READY with metrics, curves and lineage. A version already READY is left as it is.
 */
export const executeTrainingRun = async (deps: TDeps, modelVersionId: string, ctx: TJobContext) => {
  const model = await findModelVersionById(deps, modelVersionId);
  if (!model) return fail(`Model version ${modelVersionId} does not exist`);
  if (model.status !== "TRAINING") return { status: model.status, skipped: true };
  if (!isTrainableAlgorithm(model.algorithm)) return fail(`Algorithm ${model.algorithm} cannot be trained`);
  const protocol =
    TRAINING_PROTOCOLS.find((name) => name === model.protocol) ?? fail(`Unknown protocol ${model.protocol}`);
  const stored = ZStoredParams.safeParse(model.params);
  if (!stored.success)
    return fail(`Model version ${model.id} has unreadable params: ${stored.error.message}`);
  const params = parseAlgorithmParams(model.algorithm, stored.data.algorithm);
  if (!params.ok) return fail(params.message);
  const options = stored.data.training;
  const inputs = readModelInputs(model.inputs);

  // The gate is checked again here, not only when training was requested: it may have closed since.
  const events = await readEventsSource(deps, inputs.eventsVersionId);
  if (!events.ok) return fail(events.message);
  const catalog = inputs.catalogVersionId
    ? await readCatalogSource(deps, inputs.catalogVersionId, "{itemId}")
    : null;
  if (catalog && !catalog.ok) return fail(catalog.message);
  // Read before fitting, so a segment set gone since the request fails the run in seconds.
  const membership = inputs.segmentSetId ? await readSegmentMembership(deps, inputs.segmentSetId) : null;
  if (membership && !membership.ok) return fail(membership.message);
  const readsFeatures = readsItemFeatures(model.algorithm, params.params);
  if (readsFeatures && !inputs.featureSetId) return fail(`${model.algorithm} needs a feature set`);
  const content = readsFeatures ? await readContentFeatures(deps, inputs.featureSetId!) : null;
  if (content && !content.ok) return fail(content.message);

  await ctx.progress(1, `Reading ${events.source.label}`);
  const data = await readTrainingData(deps, events.source, {
    eventWeights: options.eventWeights,
    catalog: catalog?.ok ? { table: catalog.source.table, item: catalog.source.itemColumn } : null,
    excludeSeenTypes: options.excludeSeenTypes,
  });
  const userSegment = membership?.ok ? segmentOfLogUsers(data.log, membership.membership) : null;
  await ctx.checkpoint();

  let fitted: TFitResult;
  try {
    fitted = await fitInThread(
      {
        log: data.log,
        timed: data.timed,
        algorithm: model.algorithm,
        params: params.params,
        protocol,
        options,
        excluded: data.excluded,
        userSegment,
        segmentCount: membership?.ok ? membership.membership.segments.length : 0,
        features: content?.ok ? content.features : null,
        eventsPerInteraction: data.log.users.length > 0 ? data.events / data.log.users.length : 1,
      },
      {
        onProgress: async (percent, message) => {
          await ctx.progress(2 + percent * 0.97, message);
          await ctx.checkpoint();
        },
      },
    );
  } catch (error) {
    if (error instanceof TrainingInputError) return fail(`${events.source.label}: ${error.message}`);
    throw error;
  }

  const segments = membership?.ok ? buildArtifactSegments(data.log, membership.membership) : null;
  const artifact = segments ? { ...fitted.artifact, segments: segments.segments } : fitted.artifact;
  const { location, bytes } = await writeModelArtifact(deps.env.ARTIFACTS_DIR, model.id, artifact);
  // Large factor models: the serving index is built here, once, not by every API process.
  await ctx.progress(99, "Building the serving index");
  const annIndex = await writeAnnIndex(location, artifact);
  await ctx.checkpoint();
  const { users, ...test } = fitted.test;
  const { users: baselineUsers, ...baselineTest } = fitted.baseline.test;
  const metrics = {
    k: METRIC_K,
    primary: `${PRIMARY_METRIC}@${METRIC_K}`,
    protocol: fitted.protocol,
    test: metricsAt(test),
    testUsers: users,
    // The popularity the server would answer with (segment popularity when segments exist), same split.
    baseline: {
      algorithm: fitted.baseline.algorithm,
      test: metricsAt(baselineTest),
      testUsers: baselineUsers,
      ratio: baselineTest.ndcg > 0 ? round(test.ndcg / baselineTest.ndcg) : null,
    },
    excludeSeenTypes: options.excludeSeenTypes,
    // Every cap that shapes the model, with what it left out.
    caps:
      model.algorithm === "EASE"
        ? {
            maxItems: Number(fitted.selected.maxItems ?? params.params.maxItems),
            itemsModelled: Math.min(
              Number(fitted.selected.maxItems ?? params.params.maxItems),
              data.log.itemIds.length,
            ),
            items: data.log.itemIds.length,
          }
        : null,
    validation: metricsAt({ ...fitted.validation, users: fitted.validation.users }),
    // The new-item protocol (content models): held-out items ranked among themselves by features alone.
    newItems: fitted.newItems
      ? {
          share: NEW_ITEM_SHARE,
          items: fitted.newItems.items,
          users: fitted.newItems.users,
          model: metricsAt(withoutUsers(fitted.newItems.model)),
          popularity: metricsAt(withoutUsers(fitted.newItems.popularity)),
          randomRecall: round(fitted.newItems.randomRecall),
        }
      : null,
    itemsWithoutFeatures: fitted.itemsWithoutFeatures,
    selected: fitted.selected,
    split: fitted.split,
    data: {
      users: data.log.userIds.length,
      items: data.log.itemIds.length,
      interactions: data.log.users.length,
      events: data.events,
    },
    artifactBytes: bytes,
    ...(annIndex ? { annIndex } : {}),
    ...(segments ? { segments: segments.summary } : {}),
  };
  const from: TNodeRef[] = [
    {
      type: "DATASET_VERSION",
      refId: events.source.versionId,
      label: events.source.label,
      metadata: { qualityScore: events.source.qualityScore },
    },
  ];
  if (catalog?.ok)
    from.push({ type: "DATASET_VERSION", refId: catalog.source.versionId, label: catalog.source.label });
  if (inputs.featureSetId) {
    from.push({
      type: "FEATURE_SET",
      refId: inputs.featureSetId,
      label: content?.ok ? content.label : `feature set ${inputs.featureSetId}`,
    });
  }
  if (segments && membership?.ok) {
    // The label the segments job gave the node (segment-run.service.ts), so it is not renamed here.
    const method = membership.membership.algorithm === "KMEANS" ? "k-means" : "DBSCAN";
    from.push({
      type: "SEGMENT_SET",
      refId: segments.summary.setId,
      label: `${method} segments (${segments.summary.segments})`,
    });
  }
  await recordLineage(deps, {
    from,
    to: {
      type: "MODEL_VERSION",
      refId: model.id,
      label: `${model.name} v${model.version} (${model.algorithm})`,
      metadata: { algorithm: model.algorithm, protocol: fitted.protocol, ndcgAt10: metrics.test.ndcg },
    },
    jobId: ctx.jobRecordId,
    relation: "trained_from",
  });
  // The flip to READY is the commit point: it only happens while the version is still TRAINING.
  const flipped = await markVersionTrained(deps, model.id, {
    metrics,
    curves: fitted.curves,
    params: { ...(model.params as object), selected: fitted.selected },
    protocol: model.protocol,
    trainSeconds: round(fitted.trainSeconds),
    location,
  });
  if (!flipped) {
    await removeModelArtifact(deps.env.ARTIFACTS_DIR, model.id);
    return fail(`Model version ${model.id} stopped being TRAINING while it trained`);
  }
  await ctx.progress(100, `Trained: test NDCG@10 ${metrics.test.ndcg?.toFixed(4)}`);
  return { status: "READY", ndcgAt10: metrics.test.ndcg, trainSeconds: fitted.trainSeconds, location };
};

/** Undo of a run that failed for good or was cancelled: no artifact, the version FAILED. */
export const discardTrainingRun = async (deps: TDeps, modelVersionId: string): Promise<void> => {
  await removeModelArtifact(deps.env.ARTIFACTS_DIR, modelVersionId);
  await markTrainingFailed(deps, modelVersionId);
};
