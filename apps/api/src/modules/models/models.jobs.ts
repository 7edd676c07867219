import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZTrainPayload = z.object({ modelVersionId: z.string().uuid() });

export const trainModelJob = defineJob({
  queue: "training",
  name: "models.train",
  payload: ZTrainPayload,
  // Training is deterministic for a seed, so a retry after a crash repeats the same work; twice is enough.
  attempts: 2,
  backoffMs: 5_000,
  // The version row is created before the job, so its id names the work.
  jobId: ({ modelVersionId }) => `train-${modelVersionId}`,
  inputIds: ({ modelVersionId }) => [modelVersionId],
});
