// A shopper's taste for re-ranking (search personalisation): the newest READY profile set built for
// the catalogue version (else the newest READY one), the shopper's profile vector and the item
// vectors it lives among, and the shopper's segment in that set's newest READY segment set with the
// segment's category affinities. READY sets never change, so each process keeps the few it read.
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { loadItemVectors, type TItemVectors } from "./item-vectors.ts";
import { profileDir, readProfileArtifact, type TProfileData } from "./profile-artifact.ts";
import { ZProfileParams } from "./profile-params.ts";
import { readSegmentMembership } from "./segment-membership.service.ts";
import { findNewestReadyProfileSet, findNewestReadySegmentSetOf } from "./shopper-profiles.repository.ts";
import { profileVectorOf, segmentCategoryAffinities } from "./shopper-taste.ts";

export type TShopperTaste = {
  userId: string;
  profileSetId: string;
  /** The shopper's profile vector; null when the set has none for them. */
  vector: Float32Array | null;
  /** The item vectors the profile vector is comparable with; null when the set has no vector source. */
  itemVectors: TItemVectors | null;
  segment: { id: string; name: string; segmentSetId: string; categoryAffinity: Map<string, number> } | null;
};

type TLoadedProfile = { data: TProfileData; rowOf: Map<string, number> };
type TLoadedSegments = {
  labelOf: Map<string, number>;
  segments: { id: string; index: number; name: string }[];
  affinities: Map<number, Map<string, number>>;
};

/** Artifacts kept per process, by set id (least recently used dropped). */
const CACHE_SIZE = 2;

class SmallCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  get(key: string, load: () => Promise<T>): Promise<T> {
    const held = this.entries.get(key);
    if (held) {
      this.entries.delete(key);
      this.entries.set(key, held);
      return held;
    }
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => this.entries.delete(key));
    while (this.entries.size > CACHE_SIZE) this.entries.delete(this.entries.keys().next().value as string);
    return loading;
  }
}

type TCaches = {
  profiles: SmallCache<TLoadedProfile | null>;
  vectors: SmallCache<TItemVectors | null>;
  segments: SmallCache<TLoadedSegments | null>;
};
const caches = new WeakMap<TDeps, TCaches>();
const cachesOf = (deps: TDeps): TCaches => {
  let held = caches.get(deps);
  if (!held) {
    held = { profiles: new SmallCache(), vectors: new SmallCache(), segments: new SmallCache() };
    caches.set(deps, held);
  }
  return held;
};

const findProfileSetFor = (deps: TDeps, catalogVersionId: string) =>
  findNewestReadyProfileSet(deps, catalogVersionId);

const loadSegments = async (deps: TDeps, segmentSetId: string, profile: TProfileData) => {
  const read = await readSegmentMembership(deps, segmentSetId);
  if (!read.ok) {
    logger.warn("segment set unusable for personalisation", { segmentSetId, message: read.message });
    return null;
  }
  const { membership } = read;
  const labelOf = new Map<string, number>();
  membership.users.forEach((user, u) => {
    labelOf.set(user, membership.labels[u]!);
  });
  const affinities = new Map<number, Map<string, number>>();
  for (const segment of membership.segments) {
    affinities.set(segment.index, segmentCategoryAffinities(profile, membership.labels, segment.index));
  }
  return { labelOf, segments: membership.segments, affinities };
};

/** The shopper's taste, or null when no READY profile set knows them. */
export const findShopperTaste = async (
  deps: TDeps,
  input: { userId: string; catalogVersionId: string },
): Promise<TShopperTaste | null> => {
  const set = await findProfileSetFor(deps, input.catalogVersionId);
  if (!set) return null;
  const cache = cachesOf(deps);
  const profile = await cache.profiles.get(set.id, async () => {
    const data = await readProfileArtifact(set.location ?? profileDir(deps.env.ARTIFACTS_DIR, set.id));
    if (!data) return null;
    return { data, rowOf: new Map(data.users.map((user, u) => [user, u])) };
  });
  const row = profile?.rowOf.get(input.userId);
  if (!profile || row === undefined) return null;
  const params = ZProfileParams.safeParse(set.params);
  const source = params.success ? params.data.vectorSource : null;
  const vector = profileVectorOf(profile.data, row);
  const itemVectors =
    source && vector
      ? await cache.vectors.get(`${source.type}:${source.id}`, async () => {
          const loaded = await loadItemVectors(deps, source);
          return loaded.ok ? loaded.vectors : null;
        })
      : null;
  const segmentSet = await findNewestReadySegmentSetOf(deps, set.id);
  const segments = segmentSet
    ? await cache.segments.get(segmentSet.id, () => loadSegments(deps, segmentSet.id, profile.data))
    : null;
  const label = segments?.labelOf.get(input.userId);
  const segment = label === undefined ? undefined : segments!.segments.find((s) => s.index === label);
  return {
    userId: input.userId,
    profileSetId: set.id,
    vector: itemVectors ? vector : null,
    itemVectors,
    segment:
      segment && segmentSet
        ? {
            id: segment.id,
            name: segment.name,
            segmentSetId: segmentSet.id,
            categoryAffinity: segments!.affinities.get(segment.index) ?? new Map(),
          }
        : null,
  };
};
