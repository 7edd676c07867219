// ModelVersion rows and the registry's reads of other areas' rows, for the models area. No decisions:
// the services decide what to write and when.
import type { ModelVersion, Prisma, PrismaClient } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import type { TAuditedTransaction } from "../audit/audit.service.ts";
import { findConnectionPage } from "../core/pagination.ts";
import type { TModelInputs } from "./model-inputs.ts";

/** The Prisma client or a transaction's client: whatever writes a model version. */
export type TModelWriter = Pick<PrismaClient, "modelVersion">;

export const findModelVersionById = (deps: TDeps, id: string) =>
  deps.db.modelVersion.findUnique({ where: { id } });

/** The highest version number of `name` so far, null for a new name. */
export const findLastVersionNumber = async (deps: TDeps, name: string): Promise<number | null> => {
  const last = await deps.db.modelVersion.findFirst({
    where: { name },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return last?.version ?? null;
};

export type TNewModelVersion = {
  id: string;
  name: string;
  version: number;
  algorithm: string;
  protocol: string;
  params: Prisma.InputJsonValue;
  inputs: TModelInputs;
};

export const createModelVersion = (db: TModelWriter, data: TNewModelVersion) =>
  db.modelVersion.create({ data });

export const findModelVersionPage = (
  deps: TDeps,
  args: { name?: string | null; first: number; after?: string | null },
) =>
  findConnectionPage(
    deps.db.modelVersion,
    { where: args.name ? { name: args.name } : {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    args,
  );

/** Every model name with its number of versions, by name. */
export const countVersionsByName = async (deps: TDeps): Promise<{ name: string; versions: number }[]> => {
  const groups = await deps.db.modelVersion.groupBy({
    by: ["name"],
    _count: { _all: true },
    orderBy: { name: "asc" },
  });
  return groups.map((group) => ({ name: group.name, versions: group._count._all }));
};

export const findActiveVersions = (deps: TDeps) =>
  deps.db.modelVersion.findMany({ where: { status: "ACTIVE" } });

export const findModelVersionsByIds = (deps: TDeps, ids: readonly string[]) =>
  deps.db.modelVersion.findMany({ where: { id: { in: [...ids] } } });

export const findActiveVersionOf = (deps: TDeps, name: string) =>
  deps.db.modelVersion.findFirst({ where: { name, status: "ACTIVE" } });

/** The READY version of `name` promoted most recently, other than `exceptId`. */
export const findLastPromotedReadyVersion = (deps: TDeps, name: string, exceptId: string) =>
  deps.db.modelVersion.findFirst({
    where: { name, status: "READY", promotedAt: { not: null }, id: { not: exceptId } },
    orderBy: { promotedAt: "desc" },
  });

export type TActiveSwap = {
  name: string;
  nextId: string;
  previousId: string | null;
  previousStatus: "READY" | "RETIRED";
};

/**
 * Makes `nextId` the ACTIVE version of `name` and gives `previousId` its new status, with `alsoWrite`
 * (the audit entry) in the same serialisable transaction. Null, and nothing written, when the ACTIVE
 * version is no longer `previousId`. A concurrent swap of the same name fails with Prisma's P2034.
 */
export const swapActiveVersion = (
  deps: TDeps,
  swap: TActiveSwap,
  alsoWrite: (tx: TAuditedTransaction) => Promise<void>,
): Promise<ModelVersion | null> =>
  deps.db.$transaction(
    async (tx) => {
      const active = await tx.modelVersion.findFirst({ where: { name: swap.name, status: "ACTIVE" } });
      if ((active?.id ?? null) !== swap.previousId) return null;
      if (swap.previousId) {
        await tx.modelVersion.update({
          where: { id: swap.previousId },
          data: { status: swap.previousStatus },
        });
      }
      const next = await tx.modelVersion.update({
        where: { id: swap.nextId },
        data: { status: "ACTIVE", promotedAt: new Date() },
      });
      await alsoWrite(tx);
      return next;
    },
    { isolationLevel: "Serializable" },
  );

export type TTrainedVersion = {
  metrics: Prisma.InputJsonValue;
  curves: Prisma.InputJsonValue;
  params: Prisma.InputJsonValue;
  protocol: string | null;
  trainSeconds: number;
  location: string;
};

/** The commit point of a training run: READY only while still TRAINING. False when it was not. */
export const markVersionTrained = async (
  deps: TDeps,
  id: string,
  trained: TTrainedVersion,
): Promise<boolean> => {
  const flipped = await deps.db.modelVersion.updateMany({
    where: { id, status: "TRAINING" },
    data: { status: "READY", ...trained },
  });
  return flipped.count > 0;
};

/** A run that failed for good or was cancelled: FAILED without an artifact, if still TRAINING. */
export const markTrainingFailed = async (deps: TDeps, id: string): Promise<void> => {
  await deps.db.modelVersion.updateMany({
    where: { id, status: "TRAINING" },
    data: { status: "FAILED", location: null },
  });
};

/** Dataset versions by id with their dataset's name, for naming a model's inputs. */
export const findInputVersions = (deps: TDeps, ids: string[]) =>
  deps.db.datasetVersion.findMany({
    where: { id: { in: ids } },
    include: { dataset: { select: { name: true } } },
  });
