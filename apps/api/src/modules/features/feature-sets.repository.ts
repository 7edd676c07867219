// The metadata rows of the features area: embedding sets (text and image), image sets and feature sets,
// and the dataset versions the feature jobs read. No decisions: services validate and decide.
import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { findConnectionPage } from "../core/pagination.ts";

/** The Prisma client or a transaction's client (a set is written with its job and audit entry). */
export type TSetWriter = Pick<PrismaClient, "embeddingSet" | "imageSet" | "featureSet">;

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

// ------------------------------------------------------------------ embedding sets

/** A BUILDING embedding set; model version, backend and dimension are known once its job loaded the model. */
export const createEmbeddingSet = (
  db: TSetWriter,
  data: {
    id: string;
    sourceVersionId: string;
    modelId: string;
    template: string;
    modality?: string;
    imageSetId?: string;
  },
) => db.embeddingSet.create({ data: { ...data, modelVersion: "", backend: "pending", dimension: 0 } });

export const findEmbeddingSetById = (deps: TDeps, id: string) =>
  deps.db.embeddingSet.findUnique({ where: { id } });

export const findEmbeddingSetPage = (
  deps: TDeps,
  args: { sourceVersionId: string; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.embeddingSet,
    { where: { sourceVersionId: args.sourceVersionId }, orderBy: NEWEST_FIRST },
    args,
  );

/** The set with this id (as a list, empty when unknown), or the newest `take` READY sets of a modality. */
export const findEmbeddingSetCandidates = (
  deps: TDeps,
  input: { setId: string | null; modality: string; take: number },
) =>
  input.setId
    ? deps.db.embeddingSet.findMany({ where: { id: input.setId } })
    : deps.db.embeddingSet.findMany({
        where: { status: "READY", modality: input.modality },
        orderBy: { createdAt: "desc" },
        take: input.take,
      });

/** The newest READY text embedding set, of one catalogue version or of any (null). */
export const findNewestReadyTextEmbeddingSet = (deps: TDeps, sourceVersionId: string | null) =>
  deps.db.embeddingSet.findFirst({
    where: { status: "READY", modality: "text", ...(sourceVersionId ? { sourceVersionId } : {}) },
    orderBy: NEWEST_FIRST,
  });

export const markEmbeddingSetReady = async (
  deps: TDeps,
  id: string,
  data: {
    modelId?: string;
    modelVersion: string;
    backend: string;
    dimension: number;
    count: number;
    location: string;
  },
): Promise<void> => {
  await deps.db.embeddingSet.update({ where: { id }, data: { status: "READY", ...data } });
};

/** FAILED unless it already became READY. */
export const markUnfinishedEmbeddingSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.embeddingSet.updateMany({
    where: { id, status: { not: "READY" } },
    data: { status: "FAILED" },
  });
};

// ------------------------------------------------------------------ image sets

export const createImageSet = (
  db: TSetWriter,
  data: { id: string; catalogVersionId: string; source: Prisma.InputJsonValue },
) => db.imageSet.create({ data });

export const findImageSetById = (deps: TDeps, id: string) => deps.db.imageSet.findUnique({ where: { id } });

export const findImageSetPage = (
  deps: TDeps,
  args: { catalogVersionId: string; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.imageSet,
    { where: { catalogVersionId: args.catalogVersionId }, orderBy: NEWEST_FIRST },
    args,
  );

/** The newest READY image set of a catalogue version. */
export const findNewestReadyImageSet = (deps: TDeps, catalogVersionId: string) =>
  deps.db.imageSet.findFirst({ where: { catalogVersionId, status: "READY" }, orderBy: NEWEST_FIRST });

export const markImageSetReady = async (
  deps: TDeps,
  id: string,
  data: { count: number; rejectedCount: number; rejects: Prisma.InputJsonValue; location: string },
): Promise<void> => {
  await deps.db.imageSet.update({ where: { id }, data: { status: "READY", ...data } });
};

/** FAILED unless it already became READY. */
export const markUnfinishedImageSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.imageSet.updateMany({ where: { id, status: { not: "READY" } }, data: { status: "FAILED" } });
};

export const findUploadsByIds = (deps: TDeps, ids: string[]) =>
  deps.db.upload.findMany({ where: { id: { in: ids } } });

// ------------------------------------------------------------------ feature sets

export const createFeatureSet = (
  db: TSetWriter,
  data: { id: string; name: string; version: number; recipe: Prisma.InputJsonValue },
) => db.featureSet.create({ data });

export const findFeatureSetById = (deps: TDeps, id: string) =>
  deps.db.featureSet.findUnique({ where: { id } });

/** The highest version number of `name` so far, null for a new name. */
export const findLastFeatureSetVersion = async (deps: TDeps, name: string): Promise<number | null> =>
  (await deps.db.featureSet.findFirst({ where: { name }, orderBy: { version: "desc" } }))?.version ?? null;

export const findFeatureSetPage = (
  deps: TDeps,
  args: { name?: string | null; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.featureSet,
    { where: args.name ? { name: args.name } : {}, orderBy: NEWEST_FIRST },
    args,
  );

export const findReadyFeatureSets = (deps: TDeps) =>
  deps.db.featureSet.findMany({ where: { status: "READY" } });

/** The set with this id (as a list, empty when unknown), or the newest `take` READY sets. */
export const findFeatureSetCandidates = (deps: TDeps, input: { setId: string | null; take: number }) =>
  input.setId
    ? deps.db.featureSet.findMany({ where: { id: input.setId } })
    : deps.db.featureSet.findMany({
        where: { status: "READY" },
        orderBy: { createdAt: "desc" },
        take: input.take,
      });

export const updateFeatureSet = async (
  deps: TDeps,
  id: string,
  data: Prisma.FeatureSetUpdateInput,
): Promise<void> => {
  await deps.db.featureSet.update({ where: { id }, data });
};

/** FAILED unless it already became READY. */
export const markUnfinishedFeatureSetFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.featureSet.updateMany({
    where: { id, status: { not: "READY" } },
    data: { status: "FAILED" },
  });
};

// ------------------------------------------------------------------ dataset versions read by feature jobs

/** Status, schema, dataset, number and dataset kind of a version (what the READY hooks decide on). */
export const findVersionKind = (deps: TDeps, id: string) =>
  deps.db.datasetVersion.findUnique({
    where: { id },
    select: {
      status: true,
      schema: true,
      datasetId: true,
      number: true,
      dataset: { select: { kind: true } },
    },
  });

/** The READY catalogue version that became READY last. */
export const findLatestReadyCatalogVersion = (deps: TDeps) =>
  deps.db.datasetVersion.findFirst({
    where: { status: "READY", dataset: { kind: "CATALOG" } },
    orderBy: [{ readyAt: "desc" }, { id: "desc" }],
  });

/** Ids of the versions of a dataset numbered below `number`. */
export const findOlderVersionIds = async (
  deps: TDeps,
  datasetId: string,
  number: number,
): Promise<string[]> =>
  (
    await deps.db.datasetVersion.findMany({
      where: { datasetId, number: { lt: number } },
      select: { id: true },
    })
  ).map((version) => version.id);
