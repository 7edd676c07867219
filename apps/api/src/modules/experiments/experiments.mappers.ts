// Parent types of the experiment GraphQL types: the service layer's rows and results.
import type { Experiment as TExperimentRow, ExperimentVariant as TVariantRow } from "@dam/db/client";
import type { readExperimentResults } from "./experiment-results.service.ts";

export type TExperimentModel = TExperimentRow & { variants: TVariantRow[] };
export type TExperimentVariantModel = TVariantRow;
export type TExperimentResultsModel = Awaited<ReturnType<typeof readExperimentResults>>;
