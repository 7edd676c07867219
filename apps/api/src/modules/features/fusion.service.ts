import { randomUUID } from "node:crypto";
import type { FeatureSet, Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { readUsableVersion } from "../datasets/usable-version.service.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import {
  createFeatureSet,
  findEmbeddingSetById,
  findFeatureSetById,
  findFeatureSetPage,
  findLastFeatureSetVersion,
} from "./feature-sets.repository.ts";
import { fuseFeaturesJob } from "./fusion.jobs.ts";
import { featureSetDir, readFusionArtifact } from "./fusion-artifact.ts";
import { ZFusionRecipe } from "./fusion-recipe.ts";
import { checkImageEmbeddingSet } from "./image-fusion.ts";

export type TFeatureSetModel = FeatureSet;

const NAME = /^[a-z][a-z0-9_.-]{0,99}$/i;

/**
 * Creates the next version of a named feature set (BUILDING) with its recipe and queues features.fuse.
 * Version numbers come from the (name, version) unique constraint: concurrent requests retry.
 */
export const buildFeatureSet = async (
  deps: TDeps,
  actor: TPrincipal | null,
  input: { name: string; recipe: unknown },
) => {
  if (!NAME.test(input.name)) {
    throw new AppError("BAD_USER_INPUT", "name: letters, digits, _ . - (1-100), starting with a letter", {
      field: "name",
    });
  }
  const parsed = ZFusionRecipe.safeParse(input.recipe ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ["recipe", ...(issue?.path ?? [])].join(".");
    throw new AppError("BAD_USER_INPUT", `${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  const recipe = parsed.data;
  await readUsableVersion(deps, recipe.catalogVersionId, { field: "recipe.catalogVersionId" });
  if (recipe.eventsVersionId)
    await readUsableVersion(deps, recipe.eventsVersionId, { field: "recipe.eventsVersionId" });
  if (recipe.embeddingSetId) {
    const set = await findEmbeddingSetById(deps, recipe.embeddingSetId);
    if (set?.status !== "READY") {
      throw new AppError(
        "PRECONDITION_FAILED",
        `recipe.embeddingSetId: embedding set ${recipe.embeddingSetId} is not READY`,
        {
          field: "recipe.embeddingSetId",
        },
      );
    }
  }
  if (recipe.imageEmbeddingSetId) await checkImageEmbeddingSet(deps, recipe.imageEmbeddingSetId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await findLastFeatureSetVersion(deps, input.name);
    // The set, its job and the audit entry are written in one transaction (jobs.service.ts#enqueueJob).
    const setId = randomUUID();
    const version = (last ?? 0) + 1;
    try {
      return await enqueueJob(
        deps,
        fuseFeaturesJob,
        { featureSetId: setId },
        {
          actor,
          alsoWrite: (tx) =>
            createFeatureSet(tx, {
              id: setId,
              name: input.name,
              version,
              recipe: recipe as Prisma.InputJsonValue,
            }),
          audit: {
            action: "features.fuse",
            targetType: "FeatureSet",
            targetId: setId,
            details: { name: input.name, version },
          },
        },
      );
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new AppError("CONFLICT", "Could not allocate a feature set version; try again");
};

export const findFeatureSet = (deps: TDeps, id: string) => findFeatureSetById(deps, id);

export const findFeatureSets = (
  deps: TDeps,
  args: { name?: string | null; first: number; after?: string | null },
) => findFeatureSetPage(deps, args);

export type TFeatureSetVectors = NonNullable<Awaited<ReturnType<typeof readFusionArtifact>>> & {
  set: FeatureSet;
};

export type TFeatureSetVectorsResult =
  | { ok: true; vectors: TFeatureSetVectors }
  | { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED"; message: string };

/** A READY feature set's vectors, ids and manifest (what models read as item features). */
export const readFeatureSetVectors = async (deps: TDeps, id: string): Promise<TFeatureSetVectorsResult> => {
  const set = await findFeatureSetById(deps, id);
  if (!set) return { ok: false, code: "NOT_FOUND", message: `Feature set ${id} does not exist` };
  if (set.status !== "READY") {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `Feature set ${set.name} v${set.version} is ${set.status}, not READY`,
    };
  }
  const loaded = await readFusionArtifact(set.location ?? featureSetDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!loaded) {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `Feature set ${set.name} v${set.version} has lost its artifact`,
    };
  }
  return { ok: true, vectors: { ...loaded, set } };
};
