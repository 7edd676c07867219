import { type TRecipeColumn, ZRecipeColumn, ZStepReport } from "@dam/cleaning/recipe-schema";
import { z } from "zod";

/**
 * DatasetVersion.source of a version made by a recipe: which recipe, run on which version, with the
 * steps as they were at run time (a later edit of the recipe does not change what this version is),
 * and, once the run finished, the per-step report.
 */
export const ZCleaningSource = z.object({
  recipeId: z.string().uuid(),
  recipeName: z.string(),
  parentVersionId: z.string().uuid(),
  steps: z.array(z.unknown()),
  /** Versions of other datasets that match_dataset steps read: dataset id -> version id. */
  references: z.record(z.string(), z.string().uuid()).optional(),
  report: z.array(ZStepReport).optional(),
});
export type TCleaningSource = z.infer<typeof ZCleaningSource>;

export const readCleaningReport = (source: unknown) => {
  const parsed = ZCleaningSource.safeParse(source);
  return parsed.success ? (parsed.data.report ?? null) : null;
};

/** The column schema of a version, as the cleaning compiler reads it. */
export const readColumns = (schema: unknown): TRecipeColumn[] => z.array(ZRecipeColumn).parse(schema);
