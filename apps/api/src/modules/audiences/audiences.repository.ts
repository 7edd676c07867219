// The rows the audiences area reads: the tracked purchases an audience leaves out (its export versions
// go through datasets/dataset-versions.service.ts). No decisions here.
import type { TDeps } from "../../deps.ts";

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
