// The rows the audiences area reads and writes: its export versions (the LOADING -> READY | FAILED
// lifecycle of a derived dataset version) and the tracked purchases it leaves out. No decisions here.
import type { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";

export const findVersionWithDataset = (deps: TDeps, id: string) =>
  deps.db.datasetVersion.findUnique({ where: { id }, include: { dataset: true } });

export const findVersionById = (deps: TDeps, id: string) =>
  deps.db.datasetVersion.findUnique({ where: { id } });

export const updateVersion = (deps: TDeps, id: string, data: Prisma.DatasetVersionUpdateInput) =>
  deps.db.datasetVersion.update({ where: { id }, data });

/** The distinct users whose tracked events of `type` on any of `itemIds` happened at or after `since`. */
export const findUsersWithEvents = async (
  deps: TDeps,
  input: { type: string; itemIds: string[]; since: Date },
): Promise<string[]> => {
  const rows = await deps.db.liveEvent.findMany({
    where: { type: input.type, itemId: { in: input.itemIds }, ts: { gte: input.since } },
    select: { userId: true },
    distinct: ["userId"],
  });
  return rows.map((row) => row.userId);
};
