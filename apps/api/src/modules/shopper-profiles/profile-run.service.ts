import { UnrecoverableError } from "bullmq";
import type { TDeps } from "../../deps.ts";
import type { TJobContext } from "../jobs/job-definition.ts";
import { recordLineage, type TNodeRef } from "../lineage/lineage.service.ts";
import { loadItemVectors, type TItemVectors } from "./item-vectors.ts";
import {
  PRICE_BANDS,
  queryUserBreakdown,
  queryUserItemWeights,
  queryUserStats,
  type TProfileQueries,
} from "./profile.repository.ts";
import { profileDir, removeProfileArtifact, writeProfileArtifact } from "./profile-artifact.ts";
import {
  accumulateProfileVectors,
  fillCounts,
  fillShares,
  pickTopKeys,
  type TBreakdownRow,
} from "./profile-matrix.ts";
import { ZProfileParams } from "./profile-params.ts";
import { readCatalogColumns, readEventsSource } from "./profile-source.ts";
import {
  findProfileSetById,
  markProfileSetReady,
  markUnfinishedProfileSetFailed,
} from "./shopper-profiles.repository.ts";

export const RFM_FEATURES = ["rfm.recencyDays", "rfm.frequency", "rfm.monetary", "rfm.events"] as const;

const toBreakdown = (rows: { user_id: string; key: string | null; n: string; weight: number }[]) =>
  rows.map((row): TBreakdownRow => ({ ...row, n: Number(row.n), weight: Number(row.weight) }));

export type TProfileRunResult = { userCount: number; vectorDimension: number; features: number };

/**
 * Builds a profile set: per user counts by event type, RFM, category and price-band shares, and the
 * decayed, event-weighted mean of item vectors. Idempotent: a READY set is returned as it is; any other
 * run recomputes everything and replaces the artifact directory in one rename.
 */
export const executeProfileRun = async (
  deps: TDeps,
  profileSetId: string,
  ctx: TJobContext,
): Promise<TProfileRunResult> => {
  const set = await findProfileSetById(deps, profileSetId);
  if (!set) throw new UnrecoverableError(`Profile set ${profileSetId} does not exist`);
  const params = ZProfileParams.parse(set.params);
  if (set.status === "READY") {
    return { userCount: set.userCount, vectorDimension: 0, features: 0 };
  }
  const events = await readEventsSource(deps, set.eventsVersionId);
  if (!events.ok) throw new UnrecoverableError(events.message);
  let vectors: TItemVectors | null = null;
  if (params.vectorSource) {
    const loaded = await loadItemVectors(deps, params.vectorSource);
    if (!loaded.ok) throw new UnrecoverableError(loaded.message);
    vectors = loaded.vectors;
  }
  const catalogVersionId = params.catalogVersionId ?? vectors?.ref.catalogVersionId ?? null;
  const catalog = catalogVersionId ? await readCatalogColumns(deps, catalogVersionId) : null;
  if (catalog && !catalog.ok) throw new UnrecoverableError(catalog.message);
  const queries: TProfileQueries = {
    events: events.source,
    catalog: catalog?.source ?? null,
    weights: params.eventWeights,
    defaultWeight: params.defaultWeight,
  };

  await ctx.progress(2, `Aggregating ${events.source.label} per user`);
  const stats = await queryUserStats(deps.pool, queries);
  if (stats.length === 0) throw new UnrecoverableError(`${events.source.label} has no events with a user`);
  const asOf = stats[0]!.as_of;
  const users = stats.map((row) => row.user_id);
  const userIndex = new Map(users.map((u, i) => [u, i]));
  await ctx.checkpoint();

  await ctx.progress(20, "Counting event types, categories and price bands");
  const byType = toBreakdown(await queryUserBreakdown(deps.pool, queries, "event_type"));
  await ctx.checkpoint();
  const byCategory = toBreakdown(await queryUserBreakdown(deps.pool, queries, "category"));
  await ctx.checkpoint();
  const byBand = toBreakdown(await queryUserBreakdown(deps.pool, queries, "band"));
  await ctx.checkpoint();

  const eventTypes = [...new Set(byType.map((row) => row.key ?? "(unknown)"))].sort();
  const categories = queries.catalog?.categoryColumn
    ? pickTopKeys(byCategory, params.maxCategories).keys
    : [];
  const bands = queries.catalog?.priceColumn ? [...PRICE_BANDS] : [];
  const featureNames = [
    ...eventTypes.map((t) => `events.${t}`),
    ...RFM_FEATURES,
    ...categories.map((c) => `category.${c}`),
    ...bands.map((b) => `band.${b}`),
  ];
  const stride = featureNames.length;
  const features = new Float32Array(users.length * stride);
  fillCounts(byType, userIndex, eventTypes, features, stride, 0);
  const rfm = eventTypes.length;
  stats.forEach((row, u) => {
    features[u * stride + rfm] = (asOf.getTime() - row.last_ts.getTime()) / 86_400_000;
    features[u * stride + rfm + 1] = Number(row.orders);
    features[u * stride + rfm + 2] = Number(row.monetary ?? 0);
    features[u * stride + rfm + 3] = Number(row.events);
  });
  fillShares(byCategory, userIndex, categories, features, stride, rfm + RFM_FEATURES.length);
  fillShares(byBand, userIndex, bands, features, stride, rfm + RFM_FEATURES.length + categories.length);

  let profileVectors = new Float32Array(0);
  let usersWithoutVector = 0;
  if (vectors) {
    await ctx.progress(50, `Averaging item vectors (half-life ${params.halfLifeDays} days)`);
    const pairs = await queryUserItemWeights(deps.pool, {
      ...queries,
      asOf,
      halfLifeDays: params.halfLifeDays,
    });
    await ctx.checkpoint();
    profileVectors = new Float32Array(users.length * vectors.dimension);
    usersWithoutVector = accumulateProfileVectors(
      pairs.map((row) => ({ ...row, weight: Number(row.weight) })),
      userIndex,
      vectors,
      profileVectors,
    );
  }
  await ctx.progress(90, `Writing ${users.length} profiles`);
  await ctx.checkpoint();
  const dir = profileDir(deps.env.ARTIFACTS_DIR, set.id);
  await writeProfileArtifact(dir, {
    manifest: {
      format: 1,
      count: users.length,
      features: featureNames,
      vectorDimension: vectors?.dimension ?? 0,
      asOf: asOf.toISOString(),
      eventTypes,
      categories,
      bands,
      usersWithoutVector,
      vectorSource: vectors ? { type: vectors.ref.type, id: vectors.ref.id } : null,
    },
    users,
    features,
    vectors: profileVectors,
  });

  const from: TNodeRef[] = [
    { type: "DATASET_VERSION", refId: set.eventsVersionId, label: events.source.label },
  ];
  if (catalog?.ok)
    from.push({ type: "DATASET_VERSION", refId: catalog.source.versionId, label: catalog.source.label });
  if (vectors) from.push({ type: vectors.ref.type, refId: vectors.ref.id, label: vectors.ref.label });
  await recordLineage(deps, {
    from,
    to: {
      type: "PROFILE_SET",
      refId: set.id,
      label: `profiles of ${events.source.label}`,
      metadata: { params, userCount: users.length, asOf: asOf.toISOString() },
    },
    jobId: ctx.jobRecordId,
    relation: "profiled_by",
  });
  await markProfileSetReady(deps, set.id, {
    userCount: users.length,
    location: dir,
    // The catalogue actually used is written back, so the stored params say what the run did.
    params: { ...params, catalogVersionId },
  });
  await ctx.progress(100, `Profiled ${users.length} users`);
  return { userCount: users.length, vectorDimension: vectors?.dimension ?? 0, features: stride };
};

/** Undo of a run that gave up or was cancelled: no artifact stays behind, the set says FAILED. */
export const discardProfileRun = async (deps: TDeps, profileSetId: string): Promise<void> => {
  await removeProfileArtifact(profileDir(deps.env.ARTIFACTS_DIR, profileSetId));
  await markUnfinishedProfileSetFailed(deps, profileSetId);
};
