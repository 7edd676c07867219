import { z } from "zod";
import { defineJob } from "../../jobs/job-definition.ts";
import { onVersionReady } from "../datasets/version-ready.ts";
import { discardRankedAudienceExport, executeRankedAudienceExport } from "./audience-export.service.ts";

export const ZRankedAudiencePayload = z.object({ versionId: z.string().uuid() });

export const exportRankedAudienceJob = defineJob({
  queue: "features",
  name: "audiences.export",
  payload: ZRankedAudiencePayload,
  attempts: 3,
  backoffMs: 2_000,
  jobId: ({ versionId }) => `ranked-audience-${versionId}`,
  inputIds: ({ versionId }) => [versionId],
  handle: async ({ versionId }, ctx, deps) => {
    const { users } = await executeRankedAudienceExport(deps, versionId, ctx);
    await onVersionReady(deps, versionId);
    return { result: { users }, outputIds: [versionId] };
  },
  onGiveUp: async ({ versionId }, deps) => discardRankedAudienceExport(deps, versionId),
});
