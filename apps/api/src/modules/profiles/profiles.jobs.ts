import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { defineJob } from "../../jobs/job-definition.ts";
import { onVersionReady } from "../datasets/version-ready.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { discardAudienceExport, executeAudienceExport } from "./audience-export.service.ts";
import { discardProfileRun, executeProfileRun } from "./profile-run.service.ts";
import { discardSegmentRun, executeSegmentRun } from "./segment-run.service.ts";

export const ZProfilePayload = z.object({ profileSetId: z.string().uuid() });
export const ZSegmentPayload = z.object({ segmentSetId: z.string().uuid() });
export const ZAudiencePayload = z.object({ versionId: z.string().uuid() });

/** Segment sets requested before their profile set was READY (a pipeline) start when it is. */
const startWaitingSegmentSets = async (deps: TDeps, profileSetId: string) => {
  const waiting = await deps.db.segmentSet.findMany({ where: { profileSetId, status: "BUILDING" } });
  for (const set of waiting) await enqueueJob(deps, segmentUsersJob, { segmentSetId: set.id });
};

export const profileUsersJob = defineJob({
  queue: "features",
  name: "profiles.build",
  payload: ZProfilePayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ profileSetId }) => `profile-${profileSetId}`,
  inputIds: ({ profileSetId }) => [profileSetId],
  handle: async ({ profileSetId }, ctx, deps) => {
    const result = await executeProfileRun(deps, profileSetId, ctx);
    await startWaitingSegmentSets(deps, profileSetId);
    return { result, outputIds: [profileSetId] };
  },
  onGiveUp: async ({ profileSetId }, deps) => {
    await discardProfileRun(deps, profileSetId);
    await deps.db.segmentSet.updateMany({
      where: { profileSetId, status: "BUILDING" },
      data: { status: "FAILED" },
    });
  },
});

export const segmentUsersJob = defineJob({
  queue: "features",
  name: "segments.build",
  payload: ZSegmentPayload,
  attempts: 2,
  backoffMs: 5_000,
  jobId: ({ segmentSetId }) => `segment-${segmentSetId}`,
  inputIds: ({ segmentSetId }) => [segmentSetId],
  handle: async ({ segmentSetId }, ctx, deps) => {
    const result = await executeSegmentRun(deps, segmentSetId, ctx);
    return { result, outputIds: [segmentSetId] };
  },
  onGiveUp: async ({ segmentSetId }, deps) => discardSegmentRun(deps, segmentSetId),
});

export const exportAudienceJob = defineJob({
  queue: "features",
  name: "segments.export",
  payload: ZAudiencePayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `audience-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const { users } = await executeAudienceExport(deps, versionId, ctx);
    await onVersionReady(deps, versionId);
    return { result: { users }, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardAudienceExport(deps, versionId),
});

/** Called by the embedding and fusion jobs: profile sets waiting for these item vectors start now. */
export const startWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await deps.db.profileSet.findMany({
    where: { status: "BUILDING", params: { path: ["vectorSource", "id"], equals: vectorSetId } },
  });
  for (const set of waiting) await enqueueJob(deps, profileUsersJob, { profileSetId: set.id });
};

/** Called when the embedding or fusion job gives up: what waited for it cannot be built. */
export const failWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await deps.db.profileSet.findMany({
    where: { status: "BUILDING", params: { path: ["vectorSource", "id"], equals: vectorSetId } },
  });
  for (const set of waiting) {
    await deps.db.profileSet.update({ where: { id: set.id }, data: { status: "FAILED" } });
    await deps.db.segmentSet.updateMany({
      where: { profileSetId: set.id, status: "BUILDING" },
      data: { status: "FAILED" },
    });
  }
};
