import type { Prisma, ProfileSet, Segment, SegmentSet } from "@dam/db/client";
import type { ZodError } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { createVersionWithJob, upsertDatasetOfKind } from "../datasets/datasets.service.ts";
import { embedCatalog } from "../features/features.service.ts";
import { enqueueJob, findJobOf } from "../jobs/jobs.service.ts";
import { checkVectorSource } from "./item-vectors.ts";
import { profileDir, readProfileArtifact, readProfileManifest } from "./profile-artifact.ts";
import { ZProfileParams } from "./profile-params.ts";
import { readCatalogColumns, readEventsSource } from "./profile-source.ts";
import { readSegmentArtifact, segmentDir } from "./segment-artifact.ts";
import { ZSegmentParams } from "./segment-params.ts";
import { exportAudienceJob, profileUsersJob, segmentUsersJob } from "./shopper-profiles.jobs.ts";
import {
  createProfileSet,
  createSegmentSet,
  findLastCreatedReadyProfileSet,
  findProfileSetById,
  findProfileSetPage,
  findSegmentById,
  findSegmentIncludingSet,
  findSegmentSetById,
  findSegmentSetPage,
  findSegmentSetsOf,
  findSegmentsOf,
} from "./shopper-profiles.repository.ts";

export type TProfileSetModel = ProfileSet;
export type TSegmentSetModel = SegmentSet;
export type TSegmentModel = Segment;

const badInput = (prefix: string, error: ZodError): AppError => {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? [])].join(".");
  return new AppError("BAD_USER_INPUT", `${field}: ${issue?.message ?? "invalid"}`, { field });
};

/** Checks a profile request and creates its BUILDING set; returns the set and whether it can start now. */
// `audit` is written in the same transaction as the set it describes (targetId is the set).
type TSetAudit = {
  actor: TPrincipal | null;
  action: string;
  details: (params: unknown) => Record<string, unknown>;
};

const prepareProfileSet = async (
  deps: TDeps,
  input: { eventsVersionId: string; params?: unknown },
  audit?: TSetAudit,
) => {
  const parsed = ZProfileParams.safeParse(input.params ?? {});
  if (!parsed.success) throw badInput("params", parsed.error);
  const params = parsed.data;
  const events = await readEventsSource(deps, input.eventsVersionId);
  if (!events.ok) throw new AppError(events.code, events.message, { field: "eventsVersionId" });
  let vectorsReady = true;
  if (params.vectorSource) {
    const check = await checkVectorSource(deps, params.vectorSource);
    if (!check.ok) throw new AppError("PRECONDITION_FAILED", check.message, { field: "params.vectorSource" });
    params.catalogVersionId ??= check.catalogVersionId;
    vectorsReady = check.ready;
  }
  if (params.catalogVersionId) {
    const catalog = await readCatalogColumns(deps, params.catalogVersionId);
    if (!catalog.ok) throw new AppError(catalog.code, catalog.message, { field: "params.catalogVersionId" });
  }
  const set = await inAuditedTransaction(deps.db, async (tx) => {
    const created = await createProfileSet(tx, {
      eventsVersionId: input.eventsVersionId,
      params: params as Prisma.InputJsonValue,
    });
    if (audit)
      await recordAudit(
        tx,
        audit.actor,
        audit.action,
        "ProfileSet",
        created.id,
        audit.details(created.params),
      );
    return created;
  });
  return { set, vectorsReady };
};

const enqueueProfileWhenReady = async (deps: TDeps, set: ProfileSet, actor: TPrincipal | null) => {
  const params = ZProfileParams.parse(set.params);
  // Re-read after the row exists: an embedding job finishing in between finds this set, or we see READY.
  const vectors = params.vectorSource ? await checkVectorSource(deps, params.vectorSource) : null;
  if (!vectors || (vectors.ok && vectors.ready)) {
    return enqueueJob(deps, profileUsersJob, { profileSetId: set.id }, { actor });
  }
  return null;
};

/** Creates a profile set and queues its job (or leaves it waiting for its embedding set). */
export const profileUsers = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { eventsVersionId: string; params?: unknown },
) => {
  const { set } = await prepareProfileSet(deps, input, {
    actor,
    action: "profiles.build",
    details: (params) => ({ params }),
  });
  const job = await enqueueProfileWhenReady(deps, set, actor);
  return { profileSet: set, job };
};

const prepareSegmentSet = async (
  deps: TDeps,
  profileSetId: string,
  rawParams: unknown,
  audit?: TSetAudit,
) => {
  const parsed = ZSegmentParams.safeParse(rawParams ?? {});
  if (!parsed.success) throw badInput("params", parsed.error);
  const profile = await findProfileSetById(deps, profileSetId);
  if (!profile) {
    throw new AppError("NOT_FOUND", `Profile set ${profileSetId} does not exist`, { field: "profileSetId" });
  }
  if (profile.status === "FAILED") {
    throw new AppError("PRECONDITION_FAILED", `Profile set ${profileSetId} FAILED`, {
      field: "profileSetId",
    });
  }
  const set = await inAuditedTransaction(deps.db, async (tx) => {
    const created = await createSegmentSet(tx, {
      profileSetId,
      algorithm: parsed.data.algorithm,
      params: parsed.data as Prisma.InputJsonValue,
    });
    if (audit)
      await recordAudit(
        tx,
        audit.actor,
        audit.action,
        "SegmentSet",
        created.id,
        audit.details(created.params),
      );
    return created;
  });
  return { set, profile };
};

/** Creates a segment set of a profile set and queues the clustering (at once, or when the profiles are READY). */
export const segmentUsers = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { profileSetId: string; params?: unknown },
) => {
  const { set } = await prepareSegmentSet(deps, input.profileSetId, input.params, {
    actor,
    action: "segments.build",
    details: (params) => ({ params }),
  });
  const profile = await findProfileSetOrThrow(deps, input.profileSetId);
  const job =
    profile.status === "READY"
      ? await enqueueJob(deps, segmentUsersJob, { segmentSetId: set.id }, { actor })
      : null;
  return { segmentSet: set, job };
};

/**
 * The feature pipeline in one request: embed the catalogue, profile the events on those vectors, and
 * segment the profiles. Every set is created BUILDING up front; each job starts the next when it ends.
 */
export const runFeaturePipeline = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: {
    catalogVersionId: string;
    eventsVersionId: string;
    embeddingSetId?: string | null;
    template?: string | null;
    modelId?: string | null;
    profileParams?: unknown;
    segmentParams?: unknown;
  },
) => {
  let embeddingSetId = input.embeddingSetId ?? null;
  let embedJob = null;
  if (!embeddingSetId) {
    embedJob = await embedCatalog(deps, actor, {
      versionId: input.catalogVersionId,
      template: input.template,
      modelId: input.modelId,
    });
    embeddingSetId = embedJob.inputIds[0] ?? null;
  }
  const profileParams = {
    ...((input.profileParams as object | null) ?? {}),
    catalogVersionId: input.catalogVersionId,
    vectorSource: embeddingSetId ? { type: "EMBEDDING_SET", id: embeddingSetId } : null,
  };
  const { set: profileSet } = await prepareProfileSet(deps, {
    eventsVersionId: input.eventsVersionId,
    params: profileParams,
  });
  // The entry is written with the segment set, the pipeline's last row (the embedding set and the
  // profile set before it are each committed with their own job or on their own).
  const { set: segmentSet } = await prepareSegmentSet(deps, profileSet.id, input.segmentParams, {
    actor,
    action: "features.pipeline",
    details: () => ({ embeddingSetId, profileSetId: profileSet.id }),
  });
  const profileJob = await enqueueProfileWhenReady(deps, profileSet, actor);
  return { embeddingSetId, profileSet, segmentSet, embedJob, profileJob };
};

export const findProfileSet = (deps: TDeps, id: string) => findProfileSetById(deps, id);
export const findSegmentSet = (deps: TDeps, id: string) => findSegmentSetById(deps, id);
export const findSegment = (deps: TDeps, id: string) => findSegmentById(deps, id);
/** A segment with its segment set. */
export const findSegmentWithSet = (deps: TDeps, id: string) => findSegmentIncludingSet(deps, id);
export const findLatestReadyProfileSet = (deps: TDeps) => findLastCreatedReadyProfileSet(deps);

/** A set that must exist (a segment set's profile set: the foreign key guarantees it). */
export const findProfileSetOrThrow = async (deps: TDeps, id: string) => {
  const set = await findProfileSetById(deps, id);
  if (!set) throw new Error(`profile set ${id} does not exist`);
  return set;
};

export const findProfileSets = (
  deps: TDeps,
  args: { eventsVersionId?: string | null; first: number; after?: string | null },
) => findProfileSetPage(deps, args);

export const findSegmentSets = (
  deps: TDeps,
  args: { profileSetId?: string | null; first: number; after?: string | null },
) => findSegmentSetPage(deps, args);

export const findSegments = (deps: TDeps, segmentSetId: string) => findSegmentsOf(deps, segmentSetId);

export const findSegmentSetsOfProfileSet = (deps: TDeps, profileSetId: string) =>
  findSegmentSetsOf(deps, profileSetId);

export const MAX_PROJECTION_POINTS = 20_000;

/**
 * Users' 2-D PCA coordinates and segments for a scatter chart: every user up to `first`, beyond that an
 * even stride through the users (deterministic, so the chart does not flicker between requests).
 */
export const findProjection = async (deps: TDeps, set: SegmentSet, first: number) => {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PROJECTION_POINTS) {
    throw new AppError("BAD_USER_INPUT", `first: must be an integer from 1 to ${MAX_PROJECTION_POINTS}`, {
      field: "first",
    });
  }
  if (set.status !== "READY") return [];
  const profileSet = await findProfileSetOrThrow(deps, set.profileSetId);
  const [segments, profile] = await Promise.all([
    readSegmentArtifact(segmentDir(deps.env.ARTIFACTS_DIR, set.id)),
    readProfileArtifact(profileSet.location ?? profileDir(deps.env.ARTIFACTS_DIR, profileSet.id)),
  ]);
  if (!segments || !profile) throw new Error(`segment set ${set.id} is READY but its artifact is missing`);
  const n = segments.labels.length;
  const step = n > first ? n / first : 1;
  const points = [];
  for (let i = 0; i < Math.min(n, first); i++) {
    const u = Math.floor(i * step);
    points.push({
      userId: profile.users[u]!,
      segment: segments.labels[u]!,
      x: segments.projection[u * 2]!,
      y: segments.projection[u * 2 + 1]!,
    });
  }
  return points;
};

const DATASET_NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/** Exports a segment's users as a new version of a USERS dataset (an audience), via an export job. */
export const exportSegmentAudience = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { segmentId: string; datasetName?: string | null },
) => {
  const segment = await findSegmentIncludingSet(deps, input.segmentId);
  if (!segment)
    throw new AppError("NOT_FOUND", `Segment ${input.segmentId} does not exist`, { field: "segmentId" });
  const name = input.datasetName ?? `audience_${segment.segmentSetId.slice(0, 8)}_${segment.index + 1}`;
  if (!DATASET_NAME.test(name)) {
    throw new AppError(
      "BAD_USER_INPUT",
      "datasetName: letters, digits, _ . - (1-100), starting with a letter",
      {
        field: "datasetName",
      },
    );
  }
  const { job } = await createVersionWithJob(
    deps,
    (tx) =>
      upsertDatasetOfKind(
        tx,
        {
          name,
          kind: "USERS",
          description: `Audience: the users of segment "${segment.name}"`,
          tags: ["audience", "segment"],
          ownerId: actor?.userId ?? null,
        },
        "datasetName",
      ).then((dataset) => dataset.id),
    {
      source: {
        kind: "segment-audience",
        segmentId: segment.id,
        segmentSetId: segment.segmentSetId,
        segmentIndex: segment.index,
        segmentName: segment.name,
      },
      actor,
      audit: { action: "segments.export", details: { segmentId: segment.id, dataset: name } },
    },
    { definition: exportAudienceJob, payload: (versionId) => ({ versionId }) },
  );
  return job;
};

const locationOf = (deps: TDeps, set: ProfileSet) =>
  set.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.id);

/** The stored manifest of a READY profile set (feature names, vector dimension, asOf); null otherwise. */
export const findProfileManifest = async (deps: TDeps, set: ProfileSet) =>
  set.status === "READY" ? readProfileManifest(locationOf(deps, set)) : null;

export const findUserProfile = async (deps: TDeps, input: { profileSetId: string; userId: string }) => {
  const set = await findProfileSet(deps, input.profileSetId);
  if (!set) {
    throw new AppError("NOT_FOUND", `Profile set ${input.profileSetId} does not exist`, {
      field: "profileSetId",
    });
  }
  if (set.status !== "READY") return null;
  const profile = await readProfileArtifact(locationOf(deps, set));
  if (!profile) throw new Error(`profile set ${set.id} is READY but its artifact is missing`);
  const u = profile.users.indexOf(input.userId);
  if (u < 0) return null;
  const width = profile.manifest.features.length;
  const d = profile.manifest.vectorDimension;
  return {
    userId: input.userId,
    features: Array.from(profile.features.subarray(u * width, (u + 1) * width)),
    vector: Array.from(profile.vectors.subarray(u * d, (u + 1) * d)),
  };
};

/** The job that builds (built) a profile set, found by its definition's deterministic id. */
export const findProfileBuildJob = (deps: TDeps, profileSetId: string) =>
  findJobOf(deps, profileUsersJob, { profileSetId });

/** The job that builds (built) a segment set, found by its definition's deterministic id. */
export const findSegmentBuildJob = (deps: TDeps, segmentSetId: string) =>
  findJobOf(deps, segmentUsersJob, { segmentSetId });
