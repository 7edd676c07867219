import type { TDeps } from "../../deps.ts";
import { enqueueJob } from "../jobs/jobs.service.ts";
import { profileUsersJob } from "./shopper-profiles.jobs.ts";
import {
  failBuildingSegmentSetsOf,
  findProfileSetsWaitingFor,
  markProfileSetFailed,
} from "./shopper-profiles.repository.ts";

// Profile sets of a feature pipeline are created BUILDING before the item vectors they read exist;
// the embedding and fusion handlers start or fail them when those vectors are READY or given up.

/** Called by the embedding and fusion jobs: profile sets waiting for these item vectors start now. */
export const startWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await findProfileSetsWaitingFor(deps, vectorSetId);
  for (const set of waiting) await enqueueJob(deps, profileUsersJob, { profileSetId: set.id });
};

/** Called when the embedding or fusion job gives up: what waited for it cannot be built. */
export const failWaitingProfileSets = async (deps: TDeps, vectorSetId: string): Promise<void> => {
  const waiting = await findProfileSetsWaitingFor(deps, vectorSetId);
  for (const set of waiting) {
    await markProfileSetFailed(deps, set.id);
    await failBuildingSegmentSetsOf(deps, set.id);
  }
};
