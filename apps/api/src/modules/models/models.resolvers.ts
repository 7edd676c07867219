import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { promoteModel, rollbackModel } from "./model-registry.service.ts";
import {
  findModelInputs,
  findTrainingJob,
  toCurve,
  toDataSummary,
  toNewItemMetrics,
  toRankingMetrics,
} from "./models.mappers.ts";
import {
  compareModels,
  findModelNames,
  findModelVersion,
  findModelVersions,
  readMetrics,
  trainModel,
} from "./models.service.ts";

export const modelsResolvers: Resolvers = {
  Query: {
    modelVersions: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:read");
      return findModelVersions(deps, {
        name: args.name,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    modelVersion: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:read");
      return findModelVersion(deps, args.id);
    },
    modelNames: (_parent, _args, { principal, deps }) => {
      assertCan(principal, "models:read");
      return findModelNames(deps);
    },
    compareModels: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:read");
      return compareModels(deps, args.ids);
    },
  },
  Mutation: {
    trainModel: (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "models:write");
      return trainModel(deps, principal, { ...input, protocol: input.protocol ?? "RANDOM_8_1_1" });
    },
    promoteModel: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:write");
      return promoteModel(deps, principal, args.id, args.force ?? false);
    },
    rollbackModel: (_parent, args, { principal, deps }) => {
      assertCan(principal, "models:write");
      return rollbackModel(deps, principal, args.name);
    },
  },
  ModelVersion: {
    params: (model) => (model.params as { algorithm?: unknown }).algorithm ?? {},
    selectedParams: (model) => (model.params as { selected?: unknown }).selected ?? null,
    trainingOptions: (model) => (model.params as { training?: unknown }).training ?? null,
    protocol: (model) =>
      model.protocol === "RANDOM_8_1_1" ||
      model.protocol === "LEAVE_LAST_OUT" ||
      model.protocol === "GLOBAL_TIME"
        ? model.protocol
        : null,
    protocolDetail: (model) => readMetrics(model)?.protocol ?? null,
    inputs: (model, _args, { deps }) => findModelInputs(deps, model),
    metrics: (model) =>
      toRankingMetrics(readMetrics(model)?.test, (model.metrics as { testUsers?: number }).testUsers),
    validationMetrics: (model) => toRankingMetrics(readMetrics(model)?.validation),
    curves: (model) => toCurve(model.curves),
    newItemMetrics: (model) => toNewItemMetrics(model.metrics),
    data: (model) => toDataSummary(model.metrics),
    job: (model, _args, { deps }) => findTrainingJob(deps, model.id),
  },
};
