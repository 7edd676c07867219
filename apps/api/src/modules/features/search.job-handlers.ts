import type { TReadyHook } from "../jobs/job-definition.ts";
import { handleJob } from "../jobs/job-definition.ts";
import { indexSearchJob } from "./search.jobs.ts";
import { buildCatalogSearchIndex, recordSearchIndexLineage } from "./search-index-build.service.ts";
import { searchIndexChannel } from "./search-index-channel.ts";
import { enqueueCatalogSearchIndex } from "./search-index-trigger.service.ts";

/**
 * Builds the search index of a catalogue version (checking that it builds), records it in lineage and
 * announces it, so every API process builds and swaps it in before its first search. Safe to run
 * twice: the index version is derived from the version and the mapping, lineage is upserted, and a
 * process already holding that index version ignores the announcement.
 */
export const indexSearchHandler = handleJob(indexSearchJob, {
  handle: async ({ catalogVersionId }, ctx, deps) => {
    await ctx.progress(5, "Reading the catalogue");
    const loaded = await buildCatalogSearchIndex(deps, catalogVersionId);
    await ctx.checkpoint();
    await ctx.progress(80, "Recording lineage");
    await recordSearchIndexLineage(deps, loaded, ctx.jobRecordId);
    const processes = await searchIndexChannel.publish(deps.redis, deps.env.DAM_QUEUE_PREFIX, {
      catalogVersionId,
      indexVersion: loaded.indexVersion,
    });
    await ctx.progress(100, "Announced");
    return {
      result: {
        indexVersion: loaded.indexVersion,
        documents: loaded.index.ids.length,
        terms: loaded.index.terms.length,
        buildMs: loaded.buildMs,
        announcedTo: processes,
      },
      outputIds: [loaded.indexVersion],
    };
  },
});

/** READY hook: a new READY version of a catalogue with a search mapping gets its index rebuilt. */
export const searchIndexReadyHook: TReadyHook = {
  name: "search.index",
  run: (deps, versionId) => enqueueCatalogSearchIndex(deps, versionId),
};
