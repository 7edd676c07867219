import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import type { TSegmentSummary } from "./segment-describe.ts";
import {
  exportSegmentAudience,
  findProfileBuildJob,
  findProfileManifest,
  findProfileSet,
  findProfileSetOrThrow,
  findProfileSets,
  findProjection,
  findSegmentBuildJob,
  findSegmentSet,
  findSegmentSets,
  findSegmentSetsOfProfileSet,
  findSegments,
  findUserProfile,
  profileUsers,
  runFeaturePipeline,
  segmentUsers,
} from "./shopper-profiles.service.ts";

const summaryOf = (summary: unknown) => summary as TSegmentSummary & { share: number };

export const shopperProfilesResolvers: Resolvers = {
  Query: {
    profileSets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findProfileSets(deps, {
        eventsVersionId: args.eventsVersionId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    profileSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findProfileSet(deps, args.id);
    },
    userProfile: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findUserProfile(deps, args);
    },
    segmentSets: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findSegmentSets(deps, {
        profileSetId: args.profileSetId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    segmentSet: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:read");
      return findSegmentSet(deps, args.id);
    },
  },
  Mutation: {
    profileUsers: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return profileUsers(deps, principal, args);
    },
    segmentUsers: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return segmentUsers(deps, principal, args);
    },
    runFeaturePipeline: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return runFeaturePipeline(deps, principal, args.input);
    },
    exportSegmentAudience: (_parent, args, { principal, deps }) => {
      assertCan(principal, "features:write");
      return exportSegmentAudience(deps, principal, args);
    },
  },
  ProfileSet: {
    features: async (set, _args, { deps }) => (await findProfileManifest(deps, set))?.features ?? [],
    vectorDimension: async (set, _args, { deps }) =>
      (await findProfileManifest(deps, set))?.vectorDimension ?? 0,
    asOf: async (set, _args, { deps }) => {
      const manifest = await findProfileManifest(deps, set);
      return manifest ? new Date(manifest.asOf) : null;
    },
    job: (set, _args, { deps }) => findProfileBuildJob(deps, set.id),
    segmentSets: (set, _args, { deps }) => findSegmentSetsOfProfileSet(deps, set.id),
  },
  SegmentSet: {
    profileSet: (set, _args, { deps }) => findProfileSetOrThrow(deps, set.profileSetId),
    segments: (set, _args, { deps }) => findSegments(deps, set.id),
    job: (set, _args, { deps }) => findSegmentBuildJob(deps, set.id),
    projection: (set, args, { deps }) => findProjection(deps, set, args.first ?? 2000),
  },
  Segment: {
    share: (segment) => summaryOf(segment.summary).share ?? 0,
    topCategories: (segment) => summaryOf(segment.summary).topCategories ?? [],
    priceBands: (segment) => summaryOf(segment.summary).bands ?? [],
    rfm: (segment) => summaryOf(segment.summary).rfm,
    eventTypes: (segment) => summaryOf(segment.summary).eventTypes ?? [],
  },
};
