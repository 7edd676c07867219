// Ad-targeting audiences: users ranked by the ACTIVE model's predicted interest in target items
// (recent buyers of those items left out), and lookalikes of a seed audience by profile-vector
// similarity. Both answer with the chosen users and a reach estimate by size.

import { interestInItems, lookalikeScores, reachCurve } from "@dam/recsys/audience-interest";
import type { TEventType } from "@dam/vocabulary/event-types";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { modelStoreOf } from "../serving/model-store.ts";
import { profileDir, readProfileArtifact } from "../shopper-profiles/profile-artifact.ts";
import { readSegmentArtifact, segmentDir } from "../shopper-profiles/segment-artifact.ts";
import {
  findLatestReadyProfileSet,
  findProfileSet,
  findSegmentWithSet,
} from "../shopper-profiles/shopper-profiles.service.ts";
import { findUsersWithEvents } from "./audiences.repository.ts";

export const MAX_AUDIENCE = 100_000;
const MAX_TARGET_ITEMS = 10_000;

export type TAudienceTarget = { itemIds?: readonly string[] | null; category?: string | null };

export type TItemsAudienceInput = {
  target: TAudienceTarget;
  size: number;
  model?: string | null;
  recentDays?: number | null;
};

export type TLookalikeInput = {
  segmentId?: string | null;
  userIds?: readonly string[] | null;
  size: number;
  profileSetId?: string | null;
};

export type TAudience = {
  kind: "ITEM_INTEREST" | "LOOKALIKE";
  modelVersionId: string | null;
  profileSetId: string | null;
  targetItems: number;
  seedUsers: number;
  eligibleUsers: number;
  excludedBuyers: number;
  members: { userId: string; score: number }[];
  reach: { size: number; meanScore: number; affinityIndex: number }[];
};

const bad = (field: string, message: string) => new AppError("BAD_USER_INPUT", message, { field });

const checkSize = (size: number) => {
  if (!Number.isInteger(size) || size < 1 || size > MAX_AUDIENCE) {
    throw bad("size", `size must be an integer from 1 to ${MAX_AUDIENCE}, got ${size}`);
  }
};

/** Top `size` of scored users (finite scores only), best first, ties to the earlier user. */
const rankUsers = (userIds: readonly string[], scores: Float32Array, eligible: (u: number) => boolean) => {
  const ranked: number[] = [];
  for (let u = 0; u < scores.length; u++) if (Number.isFinite(scores[u]!) && eligible(u)) ranked.push(u);
  ranked.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return ranked.map((u) => ({ userId: userIds[u]!, score: scores[u]! }));
};

const reachOf = (ranked: { score: number }[], size: number) => {
  const fractions = [0.01, 0.05, 0.1, 0.25, 0.5, 1].map((f) => Math.round(f * ranked.length));
  return reachCurve(
    ranked.map((r) => r.score),
    [size, ...fractions].filter((s) => s >= 1),
  ).map(({ size: s, meanScore, index }) => ({ size: s, meanScore, affinityIndex: index }));
};

export const audienceForItems = async (deps: TDeps, input: TItemsAudienceInput): Promise<TAudience> => {
  checkSize(input.size);
  const itemIds = input.target.itemIds ?? null;
  const category = input.target.category ?? null;
  if ((itemIds === null) === (category === null)) {
    throw bad("target", "give either target.itemIds or target.category");
  }
  const recentDays = input.recentDays ?? 30;
  if (!Number.isInteger(recentDays) || recentDays < 0 || recentDays > 3650) {
    throw bad("recentDays", "recentDays must be an integer from 0 to 3650");
  }
  const model = modelStoreOf(deps).get(input.model);
  const { scorer } = model;
  let targets: number[];
  if (itemIds) {
    if (itemIds.length === 0 || itemIds.length > MAX_TARGET_ITEMS) {
      throw bad("target.itemIds", `give 1 to ${MAX_TARGET_ITEMS} item ids`);
    }
    const unknown = itemIds.filter((id) => !scorer.itemIndex.has(id));
    if (unknown.length > 0) {
      throw bad(
        "target.itemIds",
        `items not in ${model.name} v${model.version}: ${unknown.slice(0, 5).join(", ")}`,
      );
    }
    targets = itemIds.map((id) => scorer.itemIndex.get(id)!);
  } else {
    const catalog = model.catalog;
    const code = catalog?.categories.indexOf(category!) ?? -1;
    if (!catalog || code < 0) {
      throw new AppError(
        "NOT_FOUND",
        `Category "${category}" is not in the catalogue of ${model.name} v${model.version}`,
        {
          field: "target.category",
        },
      );
    }
    targets = [];
    for (let i = 0; i < scorer.itemCount; i++) if (catalog.category[i] === code) targets.push(i);
  }
  const { userIds } = scorer.artifact;
  const scores = interestInItems(
    scorer.artifact,
    Int32Array.from(targets),
    (u) => model.training.get(userIds[u]!)?.items,
  );
  // Recent buyers: a tracked purchase of a target within recentDays. Training purchases carry no time
  // in the serving model and are history, not a recent sale: they do not exclude anyone.
  const buyers = new Set<string>();
  if (recentDays > 0) {
    const tracked = await findUsersWithEvents(deps, {
      type: "purchase" satisfies TEventType,
      itemIds: targets.map((t) => scorer.artifact.itemIds[t]!),
      since: new Date(Date.now() - recentDays * 86_400_000),
    });
    for (const userId of tracked) buyers.add(userId);
  }
  const ranked = rankUsers(userIds, scores, (u) => !buyers.has(userIds[u]!));
  return {
    kind: "ITEM_INTEREST",
    modelVersionId: model.id,
    profileSetId: null,
    targetItems: targets.length,
    seedUsers: 0,
    eligibleUsers: ranked.length,
    excludedBuyers: [...buyers].filter((id) => scorer.userIndex.has(id)).length,
    members: ranked.slice(0, input.size),
    reach: reachOf(ranked, input.size),
  };
};

export const lookalikeAudience = async (deps: TDeps, input: TLookalikeInput): Promise<TAudience> => {
  checkSize(input.size);
  const segmentId = input.segmentId ?? null;
  const listed = input.userIds ?? null;
  if ((segmentId === null) === (listed === null))
    throw bad("seed", "give either segmentId or userIds as the seed");
  let profileSetId = input.profileSetId ?? null;
  let segmentIndex = -1;
  let segmentSetId: string | null = null;
  if (segmentId) {
    const segment = await findSegmentWithSet(deps, segmentId);
    if (!segment)
      throw new AppError("NOT_FOUND", `Segment ${segmentId} does not exist`, { field: "segmentId" });
    profileSetId = segment.segmentSet.profileSetId;
    segmentIndex = segment.index;
    segmentSetId = segment.segmentSetId;
  }
  const set = profileSetId ? await findProfileSet(deps, profileSetId) : await findLatestReadyProfileSet(deps);
  if (set?.status !== "READY") {
    throw new AppError(
      "PRECONDITION_FAILED",
      "No READY profile set to measure similarity with; build profiles first",
      {
        field: "profileSetId",
      },
    );
  }
  const profile = await readProfileArtifact(set.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.id));
  if (!profile) throw new Error(`profile set ${set.id} is READY but its artifact is missing`);
  const dim = profile.manifest.vectorDimension;
  if (dim === 0) throw new AppError("PRECONDITION_FAILED", `Profile set ${set.id} has no profile vectors`);
  const row = new Map(profile.users.map((user, u) => [user, u]));
  let seed: number[];
  if (segmentSetId) {
    const labels = await readSegmentArtifact(segmentDir(deps.env.ARTIFACTS_DIR, segmentSetId));
    if (!labels) throw new Error(`segment set ${segmentSetId} has lost its artifact`);
    seed = [];
    labels.labels.forEach((label, u) => {
      if (label === segmentIndex) seed.push(u);
    });
  } else {
    if (listed!.length === 0 || listed!.length > MAX_AUDIENCE)
      throw bad("userIds", `give 1 to ${MAX_AUDIENCE} user ids`);
    seed = listed!.flatMap((id) => {
      const u = row.get(id);
      return u === undefined ? [] : [u];
    });
    if (seed.length === 0)
      throw bad("userIds", `none of the seed users has a profile in profile set ${set.id}`);
  }
  const scores = lookalikeScores(profile.vectors, dim, seed);
  const ranked = rankUsers(profile.users, scores, () => true);
  return {
    kind: "LOOKALIKE",
    modelVersionId: null,
    profileSetId: set.id,
    targetItems: 0,
    seedUsers: seed.length,
    eligibleUsers: ranked.length,
    excludedBuyers: 0,
    members: ranked.slice(0, input.size),
    reach: reachOf(ranked, input.size),
  };
};
