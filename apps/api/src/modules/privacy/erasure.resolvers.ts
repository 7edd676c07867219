import { z } from "zod";
import type { ErasureReport, Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { findJob } from "../jobs/jobs.service.ts";
import { retrainModel } from "../models/models.service.ts";
import {
  findErasureRequest,
  findErasureRequests,
  findVersionErasureRecords,
  requestErasure,
} from "./erasure.service.ts";
import { summariseMaskingPolicy } from "./masking-policy.service.ts";
import {
  findDatasetRetentionPolicy,
  findRetentionPolicies,
  findRetentionRuns,
  readRetentionItems,
  requestRetentionRun,
  setRetentionPolicy,
} from "./retention.service.ts";

const ZStatus = z.enum(["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]);
const count = z.number().int().nonnegative();
const ZReport = z.object({
  versions: z.array(z.object({ versionId: z.string(), label: z.string(), rows: count })),
  totalRows: count,
  linkedUserIds: count,
  liveEvents: count,
  historyKeys: count,
  // Reports written before search logs were erased lack the count.
  searchLogs: count.default(0),
  exposures: count,
  experimentEvents: count,
  rejectedRows: count,
  qualitySamples: count,
  labelTasks: count,
  platformUsers: count,
  profileSets: count,
  profileRows: count,
  segmentSets: count,
  uploads: count,
  uploadLines: count,
  modelsMarkedStale: z.array(z.string()),
});

const clampFirst = (first: number | null | undefined, fallback: number) =>
  Math.max(1, Math.min(first ?? fallback, 200));

// Erasure requests, retention policies and runs, and the stale flag a model gets from an erasure.
export const erasureResolvers: Resolvers = {
  ErasureRequest: {
    identifierKind: (request) => z.enum(["USER_ID", "EMAIL"]).parse(request.identifierKind),
    status: (request) => ZStatus.parse(request.status),
    job: (request, _args, { deps }) => (request.jobId ? findJob(deps, request.jobId) : null),
    report: (request): ErasureReport | null => {
      const parsed = ZReport.safeParse(request.report);
      return parsed.success ? parsed.data : null;
    },
  },
  RetentionRun: {
    removed: (run) => readRetentionItems(run.removed),
    kept: (run) => readRetentionItems(run.kept),
  },
  Dataset: {
    retentionPolicy: (dataset, _args, { deps }) => findDatasetRetentionPolicy(deps, dataset.id),
  },
  DatasetVersion: {
    erasures: (version, _args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return findVersionErasureRecords(deps, version.id);
    },
  },
  ModelVersion: {
    stale: (model) => model.staleAt !== null,
  },
  Query: {
    maskingPolicy: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return summariseMaskingPolicy(deps);
    },
    erasureRequests: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:erase");
      return findErasureRequests(deps, clampFirst(args.first, 50));
    },
    erasureRequest: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:erase");
      return findErasureRequest(deps, args.id);
    },
    retentionPolicies: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return findRetentionPolicies(deps);
    },
    retentionRuns: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return findRetentionRuns(deps, clampFirst(args.first, 20));
    },
  },
  Mutation: {
    eraseSubject: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:erase");
      return requestErasure(deps, principal, args.input.identifier);
    },
    setRetentionPolicy: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return setRetentionPolicy(deps, principal, args.input);
    },
    enforceRetention: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return requestRetentionRun(deps, principal);
    },
    retrainModel: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:write");
      return retrainModel(deps, principal, args.id);
    },
  },
};
