import { handleJob } from "../jobs/job-definition.ts";
import { trainModelJob } from "./models.jobs.ts";
import { discardTrainingRun, executeTrainingRun } from "./training-run.service.ts";

export const trainModelHandler = handleJob(trainModelJob, {
  handle: async ({ modelVersionId }, ctx, deps) => {
    const result = await executeTrainingRun(deps, modelVersionId, ctx);
    return { result, outputIds: [modelVersionId] };
  },
  onGiveUp: async ({ modelVersionId }, deps) => discardTrainingRun(deps, modelVersionId),
});
