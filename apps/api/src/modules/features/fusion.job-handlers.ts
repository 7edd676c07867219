import { handleJob } from "../jobs/job-definition.ts";
import { failWaitingProfileSets, startWaitingProfileSets } from "../shopper-profiles/waiting-profile-sets.ts";
import { fuseFeaturesJob } from "./fusion.jobs.ts";
import { discardFusionRun, executeFusionRun } from "./fusion-run.service.ts";

export const fuseFeaturesHandler = handleJob(fuseFeaturesJob, {
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
