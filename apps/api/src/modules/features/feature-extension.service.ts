// New items from day one: when a newer version of a catalogue becomes READY, every READY feature set
// built from an older version of the same catalogue gets rows for the items it adds, computed on the
// new rows only (their text embedded by the set's own embedder, fused with the set's frozen encoding:
// blocks, category vocabulary, numeric statistics), appended to the set's artifact and announced, so
// served content models score the new items without retraining.
import type { Prisma } from "@dam/db/client";
import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { recordLineage } from "../lineage/lineage.service.ts";
import { readTexts } from "./embedding-run.service.ts";
import { readCatalogSource } from "./embedding-source.ts";
import { extendFeaturesJob } from "./feature-extension.jobs.ts";
import { publishFeatureSetExtended } from "./feature-extension-channel.ts";
import {
  findEmbeddingSetById,
  findFeatureSetById,
  findOlderVersionIds,
  findReadyFeatureSets,
  findVersionKind,
  updateFeatureSet,
} from "./feature-sets.repository.ts";
import { featureSetDir, readFusionArtifact, writeFusionArtifact } from "./fusion-artifact.ts";
import { fuseItems, type TEmbeddingLookup } from "./fusion-matrix.ts";
import { ZFusionRecipe } from "./fusion-recipe.ts";
import { readCatalogFusionItems } from "./fusion-run.service.ts";
import { openSetEmbedder } from "./search-semantic.ts";

/** READY hook: queues features.extend for each READY feature set of an older version of this catalogue. */
export const enqueueFeatureExtensions = async (deps: TDeps, catalogVersionId: string) => {
  const version = await findVersionKind(deps, catalogVersionId);
  if (version?.status !== "READY" || version.dataset.kind !== "CATALOG") return [];
  const older = await findOlderVersionIds(deps, version.datasetId, version.number);
  if (older.length === 0) return [];
  const olderIds = new Set(older);
  const sets = await findReadyFeatureSets(deps);
  const targets = sets.filter((set) => {
    const recipe = ZFusionRecipe.safeParse(set.recipe);
    return recipe.success && olderIds.has(recipe.data.catalogVersionId);
  });
  const jobs = [];
  for (const set of targets) {
    jobs.push(await enqueueJob(deps, extendFeaturesJob, { featureSetId: set.id, catalogVersionId }));
  }
  return jobs;
};

/** The set's text embedder's vectors for the new items (by the set's template), or null without a text block. */
const embedNewItems = async (
  deps: TDeps,
  embeddingSetId: string | null,
  catalogVersionId: string,
  newIds: ReadonlySet<string>,
): Promise<TEmbeddingLookup | null> => {
  if (!embeddingSetId) return null;
  const set = await findEmbeddingSetById(deps, embeddingSetId);
  if (set?.status !== "READY") {
    throw new UnrecoverableError(
      `Embedding set ${embeddingSetId} of the feature set is missing or not READY`,
    );
  }
  const source = await readCatalogSource(deps, catalogVersionId, set.template);
  if (!source.ok) throw new UnrecoverableError(source.message);
  const texts: { id: string; text: string }[] = [];
  for await (const page of readTexts(deps, source.source, Number.MIN_SAFE_INTEGER)) {
    for (const row of page) if (newIds.has(row.itemId)) texts.push({ id: row.itemId, text: row.text });
  }
  const embedder = await openSetEmbedder(deps, set);
  try {
    const vectors = await embedder.embed(texts.map((t) => t.text));
    const data = new Float32Array(texts.length * embedder.dimension);
    const index = new Map<string, number>();
    vectors.forEach((vector, row) => {
      data.set(vector, row * embedder.dimension);
      if (!index.has(texts[row]!.id)) index.set(texts[row]!.id, row);
    });
    return { index, data, dimension: embedder.dimension };
  } finally {
    await embedder.dispose();
  }
};

export const executeFeatureExtension = async (
  deps: TDeps,
  input: { featureSetId: string; catalogVersionId: string },
  ctx: TJobContext,
) => {
  const set = await findFeatureSetById(deps, input.featureSetId);
  if (set?.status !== "READY") {
    throw new UnrecoverableError(`Feature set ${input.featureSetId} is missing or not READY`);
  }
  const dir = set.location ?? featureSetDir(deps.env.ARTIFACTS_DIR, set.id);
  const artifact = await readFusionArtifact(dir);
  if (!artifact) throw new UnrecoverableError(`Feature set ${set.id} has lost its artifact`);
  const { manifest, ids, data } = artifact;
  const recipe = ZFusionRecipe.parse(manifest.recipe);
  await ctx.progress(5, "Reading the new catalogue version");
  const { catalog, items } = await readCatalogFusionItems(deps, input.catalogVersionId);
  const known = new Set(ids);
  // Items the set has never seen; popularity 0 (no events yet), as the build counted unsold items.
  const fresh = items
    .filter((item) => !known.has(item.id))
    .map((item) => ({ ...item, popularity: recipe.eventsVersionId ? 0 : null }));
  let count = ids.length;
  if (fresh.length > 0) {
    await ctx.progress(20, `Embedding ${fresh.length} new items`);
    const freshIds = new Set(fresh.map((item) => item.id));
    const text = await embedNewItems(deps, recipe.embeddingSetId, input.catalogVersionId, freshIds);
    await ctx.checkpoint();
    await ctx.progress(70, `Fusing ${fresh.length} new items with the set's encoding`);
    const fused = fuseItems(fresh, text, recipe, null, manifest);
    if (fused.dimension !== manifest.dimension) {
      throw new UnrecoverableError(
        `new rows have ${fused.dimension} features, the set ${manifest.dimension}: the encoding did not carry over`,
      );
    }
    const vectors = new Float32Array(data.length + fused.data.length);
    vectors.set(data);
    vectors.set(fused.data, data.length);
    count = ids.length + fresh.length;
    const itemsWithoutText = text ? fresh.filter((item) => !text.index.has(item.id)).length : fresh.length;
    await writeFusionArtifact(dir, {
      ids: [...ids, ...fresh.map((item) => item.id)],
      vectors,
      manifest: {
        ...manifest,
        count,
        extensions: [
          ...(manifest.extensions ?? []),
          {
            catalogVersionId: input.catalogVersionId,
            items: fresh.length,
            itemsWithoutText,
            at: new Date().toISOString(),
          },
        ],
      },
    });
    await updateFeatureSet(deps, set.id, {
      count,
      location: dir,
      recipe: set.recipe as Prisma.InputJsonValue,
    });
    await recordLineage(deps, {
      from: [{ type: "DATASET_VERSION", refId: catalog.version.id, label: catalog.label }],
      to: { type: "FEATURE_SET", refId: set.id, label: `features ${set.name} v${set.version}` },
      jobId: ctx.jobRecordId,
      relation: "extended_by",
    });
  }
  // Announced even when nothing was new, so a process that missed an earlier announcement catches up.
  const processes = await publishFeatureSetExtended(deps.redis, deps.env.DAM_QUEUE_PREFIX, {
    featureSetId: set.id,
    count,
  });
  await ctx.progress(100, `${fresh.length} new items added; ${count} rows`);
  return { added: fresh.length, count, announcedTo: processes };
};
