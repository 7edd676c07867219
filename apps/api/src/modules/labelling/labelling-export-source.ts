import { z } from "zod";

/** What a LABELS version was exported from; stored as the version's source. */
export const ZLabelExportSource = z.object({
  labelProjectId: z.string().uuid(),
  projectName: z.string(),
  schemaType: z.string(),
  overlap: z.number().int(),
  projectSourceVersionId: z.string().uuid().nullable(),
});
export type TLabelExportSource = z.infer<typeof ZLabelExportSource>;
