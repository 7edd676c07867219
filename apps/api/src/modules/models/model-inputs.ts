// A model version's inputs, stored in ModelVersion.inputIds as "<role>:<id>" entries. This file is the
// one place that writes and reads them: training, the model mappers and serving's lineage all call it.
import { z } from "zod";

const INPUT_ROLES = ["events", "catalog", "features", "segments"] as const;
type TInputRole = (typeof INPUT_ROLES)[number];

export const ZModelInputs = z.object({
  eventsVersionId: z.string(),
  catalogVersionId: z.string().nullable(),
  featureSetId: z.string().nullable(),
  /** The segment set whose per-segment popularity the artifact carries for cold-start serving. */
  segmentSetId: z.string().nullable(),
});
export type TModelInputs = z.infer<typeof ZModelInputs>;

/** One stored entry: its role, or null for a bare id (versions made before roles were written). */
const ZInputRef = z
  .string()
  .transform((entry) => {
    const at = entry.indexOf(":");
    const role = at > 0 ? entry.slice(0, at) : null;
    return { role, id: at > 0 ? entry.slice(at + 1) : entry };
  })
  .pipe(
    z.object({
      role: z.enum(INPUT_ROLES).nullable(),
      id: z.guid(),
    }),
  );
export type TInputRef = { role: TInputRole | null; id: string };

/** The valid entries of a stored input list; unreadable entries are skipped, never guessed at. */
export const readInputRefs = (inputIds: readonly string[]): TInputRef[] =>
  inputIds.flatMap((entry) => {
    const parsed = ZInputRef.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });

export const encodeInputIds = (inputs: TModelInputs): string[] => [
  `events:${inputs.eventsVersionId}`,
  ...(inputs.catalogVersionId ? [`catalog:${inputs.catalogVersionId}`] : []),
  ...(inputs.featureSetId ? [`features:${inputs.featureSetId}`] : []),
  ...(inputs.segmentSetId ? [`segments:${inputs.segmentSetId}`] : []),
];

export const decodeInputIds = (inputIds: readonly string[]): TModelInputs => {
  const refs = readInputRefs(inputIds);
  const find = (role: TInputRole) => refs.find((ref) => ref.role === role)?.id ?? null;
  return {
    eventsVersionId: find("events") ?? "",
    catalogVersionId: find("catalog"),
    featureSetId: find("features"),
    segmentSetId: find("segments"),
  };
};
