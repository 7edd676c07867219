import type { TDeps } from "../../deps.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { discardAudienceExport, executeAudienceExport } from "./audience-export.service.ts";
import { discardProfileRun, executeProfileRun } from "./profile-run.service.ts";
import { discardSegmentRun, executeSegmentRun } from "./segment-run.service.ts";
import { exportAudienceJob, profileUsersJob, segmentUsersJob } from "./shopper-profiles.jobs.ts";
import { failBuildingSegmentSetsOf, findBuildingSegmentSetsOf } from "./shopper-profiles.repository.ts";

/** Segment sets requested before their profile set was READY (a pipeline) start when it is. */
const startWaitingSegmentSets = async (deps: TDeps, profileSetId: string) => {
  const waiting = await findBuildingSegmentSetsOf(deps, profileSetId);
  for (const set of waiting) await enqueueJob(deps, segmentUsersJob, { segmentSetId: set.id });
};

export const profileUsersHandler = handleJob(profileUsersJob, {
  handle: async ({ profileSetId }, ctx, deps) => {
    const result = await executeProfileRun(deps, profileSetId, ctx);
    await startWaitingSegmentSets(deps, profileSetId);
    return { result, outputIds: [profileSetId] };
  },
  onGiveUp: async ({ profileSetId }, deps) => {
    await discardProfileRun(deps, profileSetId);
    await failBuildingSegmentSetsOf(deps, profileSetId);
  },
});

export const segmentUsersHandler = handleJob(segmentUsersJob, {
  handle: async ({ segmentSetId }, ctx, deps) => {
    const result = await executeSegmentRun(deps, segmentSetId, ctx);
    return { result, outputIds: [segmentSetId] };
  },
  onGiveUp: async ({ segmentSetId }, deps) => discardSegmentRun(deps, segmentSetId),
});

export const exportAudienceHandler = handleJob(exportAudienceJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const { users } = await executeAudienceExport(deps, versionId, ctx);
    await ctx.versionReady(versionId);
    return { result: { users }, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardAudienceExport(deps, versionId),
});
