import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { classifyVersionPii } from "./pii-classify.service.ts";
import { classifyPiiJob } from "./privacy.jobs.ts";

// No onGiveUp: the tags are replaced in one transaction at the end, so a failed run leaves nothing to undo.
export const classifyPiiHandler = handleJob(classifyPiiJob, {
  handle: async ({ versionId }, ctx, deps) => {
    const result = await classifyVersionPii(deps, versionId, ctx);
    return { result, outputIds: [versionId] };
  },
});

/** READY hook: every READY version has its columns classified for personal data. */
export const classifyPiiReadyHook: TReadyHook = {
  name: "privacy.classify",
  run: async (deps, versionId) => {
    await enqueueJob(deps, classifyPiiJob, { versionId });
  },
};
