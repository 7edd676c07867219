import { extractAttributesHandler } from "../attributes/attributes.job-handlers.ts";
import { exportRankedAudienceHandler } from "../audiences/audiences.job-handlers.ts";
import { cleaningRunHandler } from "../cleaning/cleaning.job-handlers.ts";
import { columnStatsHandler, columnStatsReadyHook } from "../column-stats/column-stats.job-handlers.ts";
import { ingestFileHandler } from "../datasets/datasets.job-handlers.ts";
import {
  extendFeaturesHandler,
  featureExtensionReadyHook,
} from "../features/feature-extension.job-handlers.ts";
import { embedCatalogHandler } from "../features/features.job-handlers.ts";
import { fuseFeaturesHandler } from "../features/fusion.job-handlers.ts";
import { embedImagesHandler, importImagesHandler } from "../features/image.job-handlers.ts";
import { indexSearchHandler, searchIndexReadyHook } from "../features/search.job-handlers.ts";
import { labelExportHandler } from "../labelling/labelling-export.job-handlers.ts";
import { trainModelHandler } from "../models/models.job-handlers.ts";
import {
  classifyPiiHandler,
  classifyPiiReadyHook,
  eraseSubjectHandler,
  retentionHandler,
} from "../privacy/privacy.job-handlers.ts";
import {
  declaredKeysReadyHook,
  qualityRunHandler,
  qualityRunReadyHook,
  qualityScheduleHandler,
} from "../quality/quality.job-handlers.ts";
import {
  exportAudienceHandler,
  profileUsersHandler,
  segmentUsersHandler,
} from "../shopper-profiles/shopper-profiles.job-handlers.ts";
import type { TWorkerRegistry } from "./job-definition.ts";

/**
 * Everything a worker runs, assembled here and nowhere else: services import job definitions
 * (`*.jobs.ts`) to enqueue, and only this registry imports their handlers (`*.job-handlers.ts`), so
 * the import graph stays acyclic. Areas add their handler and, for follow-up work on a version that
 * became READY, a READY hook.
 */
export const WORKER_REGISTRY: TWorkerRegistry = {
  handlers: [
    ingestFileHandler,
    columnStatsHandler,
    cleaningRunHandler,
    qualityRunHandler,
    qualityScheduleHandler,
    embedCatalogHandler,
    trainModelHandler,
    labelExportHandler,
    profileUsersHandler,
    segmentUsersHandler,
    exportAudienceHandler,
    extractAttributesHandler,
    fuseFeaturesHandler,
    importImagesHandler,
    embedImagesHandler,
    exportRankedAudienceHandler,
    indexSearchHandler,
    classifyPiiHandler,
    eraseSubjectHandler,
    retentionHandler,
    extendFeaturesHandler,
  ],
  // Run in this order by `ctx.versionReady` (worker-runtime.ts): key indexes first, so the quality
  // run queued after them finds them.
  readyHooks: [
    declaredKeysReadyHook,
    columnStatsReadyHook,
    classifyPiiReadyHook,
    qualityRunReadyHook,
    searchIndexReadyHook,
    featureExtensionReadyHook,
  ],
};
