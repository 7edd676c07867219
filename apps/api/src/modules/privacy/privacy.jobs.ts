import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { classifyVersionPii } from "./pii-classify.service.ts";

export const ZClassifyPiiPayload = z.object({ versionId: z.string().uuid() });

// No onGiveUp: the tags are replaced in one transaction at the end, so a failed run leaves nothing to undo.
export const classifyPiiJob = defineJob({
  queue: "quality",
  name: "privacy.classify",
  payload: ZClassifyPiiPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `pii-classify-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const result = await classifyVersionPii(deps, versionId, ctx);
    return { result, outputIds: [versionId] };
  },
});
