import { extractAttributesJob } from "../modules/attributes/attributes.jobs.ts";
import { exportRankedAudienceJob } from "../modules/audiences/audiences.jobs.ts";
import { cleaningRunJob } from "../modules/cleaning/cleaning.jobs.ts";
import { ingestFileJob } from "../modules/datasets/datasets.jobs.ts";
import { embedCatalogJob } from "../modules/features/features.jobs.ts";
import { fuseFeaturesJob } from "../modules/features/fusion.jobs.ts";
import { embedImagesJob, importImagesJob } from "../modules/features/image.jobs.ts";
import { indexSearchJob } from "../modules/features/search.jobs.ts";
import { labelExportJob } from "../modules/labelling/labelling-export.jobs.ts";
import { trainModelJob } from "../modules/models/models.jobs.ts";
import { classifyPiiJob } from "../modules/privacy/privacy.jobs.ts";
import { exportAudienceJob, profileUsersJob, segmentUsersJob } from "../modules/profiles/profiles.jobs.ts";
import { profileVersionJob } from "../modules/profiling/profiling.jobs.ts";
import { qualityRunJob, qualityScheduleJob } from "../modules/quality/quality.jobs.ts";
import type { TAnyJobDefinition } from "./job-definition.ts";

/** Every job the workers know how to run. Areas add their definitions here. */
export const JOB_DEFINITIONS: TAnyJobDefinition[] = [
  ingestFileJob,
  profileVersionJob,
  cleaningRunJob,
  qualityRunJob,
  qualityScheduleJob,
  embedCatalogJob,
  trainModelJob,
  labelExportJob,
  profileUsersJob,
  segmentUsersJob,
  exportAudienceJob,
  extractAttributesJob,
  fuseFeaturesJob,
  importImagesJob,
  embedImagesJob,
  exportRankedAudienceJob,
  indexSearchJob,
  classifyPiiJob,
];
