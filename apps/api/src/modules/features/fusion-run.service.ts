import type { Prisma } from "@dam/db/client";
import { UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { findVersionWithDataset } from "../datasets/dataset-versions.service.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage, type TNodeRef } from "../lineage/lineage.service.ts";
import { embeddingDir, readVectors } from "./embedding-artifact.ts";
import {
  findEmbeddingSetById,
  findFeatureSetById,
  markUnfinishedFeatureSetFailed,
  updateFeatureSet,
} from "./feature-sets.repository.ts";
import { countEventsPerItem, readFusionItems } from "./fusion.repository.ts";
import { featureSetDir, removeFusionArtifact, writeFusionArtifact } from "./fusion-artifact.ts";
import { fuseItems, type TEmbeddingLookup } from "./fusion-matrix.ts";
import { ZFusionRecipe } from "./fusion-recipe.ts";
import { readImageLookup } from "./image-fusion.ts";

const ZColumn = z.object({ name: z.string(), type: z.string(), role: z.string().nullable().optional() });
const ATTRIBUTE_ROLES = ["colour", "material", "productType", "size", "packQuantity", "brand"] as const;

const readVersion = async (deps: TDeps, id: string, what: string) => {
  const version = await findVersionWithDataset(deps, id);
  if (version?.status !== "READY")
    throw new UnrecoverableError(`${what} version ${id} is missing or not READY`);
  return {
    version,
    columns: z.array(ZColumn).parse(version.schema),
    label: `${version.dataset.name} v${version.number}`,
  };
};

/** A READY catalogue version's items as fusion reads them (category, price and attribute columns by role). */
export const readCatalogFusionItems = async (deps: TDeps, catalogVersionId: string) => {
  const catalog = await readVersion(deps, catalogVersionId, "Catalogue");
  const byRole = (role: string) => catalog.columns.find((c) => c.role === role)?.name ?? null;
  const itemColumn = byRole("itemId");
  if (!itemColumn) throw new UnrecoverableError(`${catalog.label} has no column with the role itemId`);
  const price = catalog.columns.find(
    (c) => c.role === "price" && (c.type === "decimal" || c.type === "integer"),
  );
  const items = await readFusionItems(deps.pool, {
    table: catalog.version.tableName,
    itemColumn,
    categoryColumn: byRole("category") ?? byRole("productType"),
    priceColumn: price?.name ?? null,
    attributeColumns: Object.fromEntries(
      ATTRIBUTE_ROLES.flatMap((role) => {
        const column = byRole(role);
        return column ? [[role, column]] : [];
      }),
    ),
  });
  return { catalog, items };
};

/**
 * Builds a fused feature set: one vector per catalogue item from its text embedding, category,
 * extracted attributes and standardised log price / popularity, weighted as the recipe says.
 * Idempotent: a READY set is kept; otherwise the artifact directory is replaced in one rename.
 */
export const executeFusionRun = async (deps: TDeps, featureSetId: string, ctx: TJobContext) => {
  const set = await findFeatureSetById(deps, featureSetId);
  if (!set) throw new UnrecoverableError(`Feature set ${featureSetId} does not exist`);
  if (set.status === "READY") return { count: set.count, dimension: set.dimension };
  const recipe = ZFusionRecipe.parse(set.recipe);
  await ctx.progress(5, "Reading the catalogue items");
  const { catalog, items } = await readCatalogFusionItems(deps, recipe.catalogVersionId);
  if (items.length === 0) throw new UnrecoverableError(`${catalog.label} has no items`);
  await ctx.checkpoint();

  const from: TNodeRef[] = [{ type: "DATASET_VERSION", refId: catalog.version.id, label: catalog.label }];
  let popularity: Map<string, number> | null = null;
  if (recipe.eventsVersionId) {
    const events = await readVersion(deps, recipe.eventsVersionId, "Events");
    const eventItem = events.columns.find((c) => c.role === "itemId")?.name;
    if (!eventItem) throw new UnrecoverableError(`${events.label} has no column with the role itemId`);
    await ctx.progress(20, `Counting events per item in ${events.label}`);
    popularity = await countEventsPerItem(deps.pool, events.version.tableName, eventItem);
    from.push({ type: "DATASET_VERSION", refId: events.version.id, label: events.label });
    await ctx.checkpoint();
  }
  let text: TEmbeddingLookup | null = null;
  if (recipe.embeddingSetId) {
    const embeddings = await findEmbeddingSetById(deps, recipe.embeddingSetId);
    if (embeddings?.status !== "READY") {
      throw new UnrecoverableError(`Embedding set ${recipe.embeddingSetId} is missing or not READY`);
    }
    const loaded = await readVectors(
      embeddings.location ?? embeddingDir(deps.env.ARTIFACTS_DIR, embeddings.id),
    );
    if (!loaded) throw new UnrecoverableError(`Embedding set ${embeddings.id} has lost its artifact`);
    const index = new Map<string, number>();
    loaded.ids.forEach((id, row) => {
      if (!index.has(id)) index.set(id, row);
    });
    text = { index, data: loaded.data, dimension: loaded.manifest.dimension };
    from.push({ type: "EMBEDDING_SET", refId: embeddings.id, label: `embeddings ${embeddings.modelId}` });
  }
  let image: TEmbeddingLookup | null = null;
  if (recipe.imageEmbeddingSetId) {
    const loaded = await readImageLookup(deps, recipe.imageEmbeddingSetId);
    image = loaded.lookup;
    from.push(loaded.ref);
  }
  await ctx.progress(50, `Fusing ${items.length} items`);
  let fused: ReturnType<typeof fuseItems>;
  try {
    fused = fuseItems(
      items.map((item) => ({ ...item, popularity: popularity ? (popularity.get(item.id) ?? 0) : null })),
      text,
      recipe,
      image,
    );
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
  await ctx.checkpoint();
  const dir = featureSetDir(deps.env.ARTIFACTS_DIR, set.id);
  await writeFusionArtifact(dir, {
    ids: items.map((item) => item.id),
    vectors: fused.data,
    manifest: {
      format: 1,
      count: items.length,
      dimension: fused.dimension,
      blocks: fused.blocks,
      categories: fused.categories,
      numeric: fused.numeric,
      recipe,
      itemsWithoutText: text ? items.filter((item) => !text.index.has(item.id)).length : items.length,
      itemsWithoutImage: image ? items.filter((item) => !image.index.has(item.id)).length : items.length,
    },
  });
  await recordLineage(deps, {
    from,
    to: {
      type: "FEATURE_SET",
      refId: set.id,
      label: `features ${set.name} v${set.version}`,
      metadata: { recipe, blocks: fused.blocks, dimension: fused.dimension },
    },
    jobId: ctx.jobRecordId,
    relation: "fused_from",
  });
  await updateFeatureSet(deps, set.id, {
    status: "READY",
    count: items.length,
    dimension: fused.dimension,
    location: dir,
    recipe: { ...recipe, blocks: fused.blocks } as Prisma.InputJsonValue,
  });
  await ctx.progress(100, `${items.length} item vectors of dimension ${fused.dimension}`);
  return { count: items.length, dimension: fused.dimension };
};

export const discardFusionRun = async (deps: TDeps, featureSetId: string): Promise<void> => {
  await removeFusionArtifact(featureSetDir(deps.env.ARTIFACTS_DIR, featureSetId));
  await markUnfinishedFeatureSetFailed(deps, featureSetId);
};
