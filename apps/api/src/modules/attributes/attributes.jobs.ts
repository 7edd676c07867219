import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { onVersionReady } from "../datasets/version-ready.ts";
import { discardAttributeRun, executeAttributeRun } from "./attribute-run.service.ts";

export const ZAttributePayload = z.object({ versionId: z.string().uuid() });

export const extractAttributesJob = defineJob({
  queue: "features",
  name: "features.attributes",
  payload: ZAttributePayload,
  attempts: 3,
  backoffMs: 2_000,
  // The derived version is created before the job, so its id names the work.
  jobId: ({ versionId }) => `attributes-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const { report } = await executeAttributeRun(deps, versionId, ctx);
    await onVersionReady(deps, versionId);
    return { result: report, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardAttributeRun(deps, versionId),
});
