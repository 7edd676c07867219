import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import {
  createQualityRule,
  deleteQualityRule,
  findQualityRules,
  findQualityRuns,
  findQualityTrend,
  findRunResults,
  overrideQualityGate,
  runQualityCheck,
  updateQualityRule,
} from "./quality.service.ts";

const readResultError = (result: { observed: unknown }): string | null => {
  const error = (result.observed as { error?: unknown } | null)?.error;
  return typeof error === "string" ? error : null;
};

export const qualityResolvers: Resolvers = {
  Query: {
    qualityRules: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:read");
      return findQualityRules(deps, args.datasetId);
    },
    qualityRuns: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:read");
      return findQualityRuns(deps, {
        versionId: args.versionId,
        datasetId: args.datasetId,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    qualityTrend: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:read");
      return findQualityTrend(deps, args.datasetId);
    },
  },
  Mutation: {
    createQualityRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return createQualityRule(deps, principal, args.datasetId, args.input);
    },
    updateQualityRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return updateQualityRule(deps, principal, args.id, args.input);
    },
    deleteQualityRule: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return deleteQualityRule(deps, principal, args.id);
    },
    runQualityCheck: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return runQualityCheck(deps, principal, args.versionId);
    },
    overrideQualityGate: (_parent, args, { principal, deps }) => {
      assertCan(principal, "quality:write");
      return overrideQualityGate(deps, principal, args.versionId, args.reason);
    },
  },
  QualityRun: {
    versionNumber: (run) => run.version.number,
    results: (run, _args, { deps }) => findRunResults(deps, run.id),
  },
  QualityResult: {
    status: (result) => (readResultError(result) !== null ? "ERRORED" : result.passed ? "PASSED" : "FAILED"),
    error: (result) => readResultError(result),
    failingCount: (result) => Number(result.failingCount),
    checkedCount: (result) => Number(result.checkedCount),
  },
};
