import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { failWaitingProfileSets, startWaitingProfileSets } from "../profiles/profiles.jobs.ts";
import { discardFusionRun, executeFusionRun } from "./fusion-run.service.ts";

export const ZFusionPayload = z.object({ featureSetId: z.string().uuid() });

export const fuseFeaturesJob = defineJob({
  queue: "features",
  name: "features.fuse",
  payload: ZFusionPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ featureSetId }) => `fuse-${featureSetId}`,
  inputIds: ({ featureSetId }) => [featureSetId],
  handle: async ({ featureSetId }, ctx, deps) => {
    const result = await executeFusionRun(deps, featureSetId, ctx);
    await startWaitingProfileSets(deps, featureSetId);
    return { result, outputIds: [featureSetId] };
  },
  onGiveUp: async ({ featureSetId }, deps) => {
    await discardFusionRun(deps, featureSetId);
    await failWaitingProfileSets(deps, featureSetId);
  },
});
