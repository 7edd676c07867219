import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { extendFeaturesJob } from "./feature-extension.jobs.ts";
import { enqueueFeatureExtensions, executeFeatureExtension } from "./feature-extension.service.ts";

export const extendFeaturesHandler = handleJob(extendFeaturesJob, {
  handle: async (payload, ctx, deps) => {
    const result = await executeFeatureExtension(deps, payload, ctx);
    return { result, outputIds: [payload.featureSetId] };
  },
});

/** READY hook: a newer catalogue version extends the feature sets of its older versions with its new items. */
export const featureExtensionReadyHook: TReadyHook = {
  name: "features.extend",
  run: (deps, versionId) => enqueueFeatureExtensions(deps, versionId),
};
