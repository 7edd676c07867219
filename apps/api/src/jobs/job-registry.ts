import { ingestFileJob } from "../modules/datasets/datasets.jobs.ts";
import type { TAnyJobDefinition } from "./job-definition.ts";

/** Every job the workers know how to run. Areas add their definitions here. */
export const JOB_DEFINITIONS: TAnyJobDefinition[] = [ingestFileJob];
