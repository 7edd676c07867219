import type { TDeps } from "../../deps.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { profileUsersJob } from "./shopper-profiles.jobs.ts";

// Profile sets of a feature pipeline are created BUILDING before the item vectors they read exist;
// the embedding and fusion handlers start or fail them when those vectors are READY or given up.

/** Called by the embedding and fusion jobs: profile sets waiting for these item vectors start now. */
export const startWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await deps.db.profileSet.findMany({
    where: { status: "BUILDING", params: { path: ["vectorSource", "id"], equals: vectorSetId } },
  });
  for (const set of waiting) await enqueueJob(deps, profileUsersJob, { profileSetId: set.id });
};

/** Called when the embedding or fusion job gives up: what waited for it cannot be built. */
export const failWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await deps.db.profileSet.findMany({
    where: { status: "BUILDING", params: { path: ["vectorSource", "id"], equals: vectorSetId } },
  });
  for (const set of waiting) {
    await deps.db.profileSet.update({ where: { id: set.id }, data: { status: "FAILED" } });
    await deps.db.segmentSet.updateMany({
      where: { profileSetId: set.id, status: "BUILDING" },
      data: { status: "FAILED" },
    });
  }
};
