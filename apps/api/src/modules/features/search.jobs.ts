import { z } from "zod";
import { defineJob } from "../jobs/job-definition.ts";

export const ZIndexSearchPayload = z.object({ catalogVersionId: z.string().min(1) });
export type TIndexSearchPayload = z.infer<typeof ZIndexSearchPayload>;

/**
 * Builds the search index of a catalogue version (checking that it builds), records it in lineage and
 * announces it, so every API process builds and swaps it in before its first search. Safe to run
 * twice: the index version is derived from the version and the mapping, lineage is upserted, and a
 * process already holding that index version ignores the announcement.
 */
export const indexSearchJob = defineJob<TIndexSearchPayload>({
  queue: "features",
  name: "search.index",
  payload: ZIndexSearchPayload,
  attempts: 3,
  backoffMs: 5_000,
  jobId: ({ catalogVersionId }) => `search-index-${catalogVersionId}`,
  inputIds: ({ catalogVersionId }) => [catalogVersionId],
});
