import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { discardVersion, loadVersionFromFile, recordImportLineage } from "./ingest.service.ts";
import { onVersionReady } from "./version-ready.ts";

export const ZIngestPayload = z.object({ versionId: z.string().uuid() });

export const ingestFileJob = defineJob({
  queue: "ingest",
  name: "ingest.load-file",
  payload: ZIngestPayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `ingest-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const result = await loadVersionFromFile(deps, versionId, ctx);
    await recordImportLineage(deps, versionId, ctx.jobRecordId);
    await onVersionReady(deps, versionId);
    return { result, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardVersion(deps, versionId),
});
