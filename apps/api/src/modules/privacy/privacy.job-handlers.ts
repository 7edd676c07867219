import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { enqueueJob, wasJobCancelled } from "../jobs/jobs.service.ts";
import { closeErasureRequest } from "./erasure.service.ts";
import { executeErasure } from "./erasure-run.service.ts";
import { classifyVersionPii } from "./pii-classify.service.ts";
import { classifyPiiJob, eraseSubjectJob, retentionJob } from "./privacy.jobs.ts";
import { armNightlyRetention, enforceRetention } from "./retention.service.ts";

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

// Erasure cannot be undone (nor should it be): a cancelled or failed run keeps what it erased, and its
// request says so; a new request finishes the work.
export const eraseSubjectHandler = handleJob(eraseSubjectJob, {
  handle: async ({ erasureRequestId }, ctx, deps) => {
    const report = await executeErasure(deps, erasureRequestId, ctx);
    return { result: { ...report, versions: report.versions.length }, outputIds: [erasureRequestId] };
  },
  onGiveUp: async ({ erasureRequestId }, deps) => {
    const cancelled = await wasJobCancelled(deps, eraseSubjectJob, { erasureRequestId });
    await closeErasureRequest(deps, erasureRequestId, cancelled ? "CANCELLED" : "FAILED");
  },
});

// A scheduled tick re-arms the nightly scheduler first (see jobs/recurring-job.ts).
export const retentionHandler = handleJob(retentionJob, {
  handle: async ({ trigger }, ctx, deps) => {
    if (trigger === "schedule") await armNightlyRetention(deps);
    const result = await enforceRetention(deps, trigger, ctx);
    return { result, outputIds: [result.runId] };
  },
});
