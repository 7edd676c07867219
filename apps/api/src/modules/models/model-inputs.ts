// A model version's inputs, stored as typed JSON in ModelVersion.inputs (one object, never strings to
// parse). This file is the one place that reads them back: training, the model mappers, serving's
// lineage and privacy's stale-model marking all call it.
import { z } from "zod";

export const ZModelInputs = z.object({
  /** "" for a version written without recorded inputs (an artifact loaded directly, as the benches do). */
  eventsVersionId: z.guid().or(z.literal("")),
  catalogVersionId: z.guid().nullable(),
  featureSetId: z.guid().nullable(),
  /** The segment set whose per-segment popularity the artifact carries for cold-start serving. */
  segmentSetId: z.guid().nullable(),
});
export type TModelInputs = z.infer<typeof ZModelInputs>;

/** The stored JSON, validated: only training and the migration that made the column write it. */
export const readModelInputs = (stored: unknown): TModelInputs => ZModelInputs.parse(stored);

/** Every version or set id a model was built from, for lineage and for erasure's stale marking. */
export const modelInputIds = (inputs: TModelInputs): string[] =>
  [inputs.eventsVersionId, inputs.catalogVersionId, inputs.featureSetId, inputs.segmentSetId].filter(
    (id): id is string => Boolean(id),
  );
