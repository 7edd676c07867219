import type { Resolvers } from "../../generated/graphql.ts";
import { assertCan, can } from "../auth/permissions.ts";
import { checkPageSize } from "../core/pagination.ts";
import { isLabelSchemaType, type TLabelOption } from "./label-value.ts";
import { createLabelProject, createLabelSchema } from "./labelling.service.ts";
import { countGoldTasks } from "./labelling-export.repository.ts";
import { exportGoldLabels, findLabelExports } from "./labelling-export.service.ts";
import {
  addLabelProjectMember,
  findLabellerCandidates,
  findLabelProjectMembers,
  findVisibleLabelProject,
  findVisibleLabelProjects,
  findVisibleLabelSchemas,
  removeLabelProjectMember,
} from "./labelling-members.service.ts";
import { labellerProgress, myLabelProgress, projectProgress } from "./labelling-progress.service.ts";
import { nextLabelTask, skipLabelTask, submitLabel, undoLastLabel } from "./labelling-queue.service.ts";
import { adjudicate, findDisagreements, projectAgreement } from "./labelling-review.service.ts";

// GraphQL gives null for an omitted optional input field; zod defaults apply only to undefined.
const withoutNulls = <T extends object>(input: T | null | undefined) =>
  input
    ? (Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as {
        [K in keyof T]: Exclude<T[K], null>;
      })
    : input;

export const labellingResolvers: Resolvers = {
  Query: {
    labelSchemas: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return findVisibleLabelSchemas(deps, principal, {
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    labelProjects: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return findVisibleLabelProjects(deps, principal, {
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
    labelProject: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return findVisibleLabelProject(deps, principal, args.id);
    },
    myLabelProgress: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return myLabelProgress(deps, principal, args.projectId);
    },
    labellerCandidates: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return findLabellerCandidates(deps, principal, args.projectId);
    },
    labellerProgress: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return labellerProgress(deps, args.projectId);
    },
    projectAgreement: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return projectAgreement(deps, args.projectId);
    },
    labelDisagreements: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return findDisagreements(deps, {
        projectId: args.projectId,
        includeAdjudicated: args.includeAdjudicated ?? false,
        first: checkPageSize(args.first),
        after: args.after,
      });
    },
  },
  Mutation: {
    createLabelSchema: (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return createLabelSchema(deps, principal, {
        name: input.name,
        type: input.type,
        instructions: input.instructions,
        options: input.options?.map((option) => ({ value: option.value, label: option.label ?? undefined })),
      });
    },
    createLabelProject: (_parent, { input }, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return createLabelProject(deps, principal, {
        name: input.name,
        schemaId: input.schemaId,
        overlap: input.overlap ?? undefined,
        leaseSeconds: input.leaseSeconds ?? undefined,
        tasks: input.tasks as Record<string, unknown>[] | null | undefined,
        source: input.source,
        relevance: withoutNulls(input.relevance),
        verification: withoutNulls(input.verification),
        visiblePayloadFields: input.visiblePayloadFields ?? undefined,
      });
    },
    addLabelProjectMember: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return addLabelProjectMember(deps, principal, { projectId: args.projectId, keyId: args.keyId });
    },
    removeLabelProjectMember: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return removeLabelProjectMember(deps, principal, {
        projectId: args.projectId,
        labellerId: args.labellerId,
      });
    },
    nextLabelTask: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return nextLabelTask(deps, principal, { projectId: args.projectId, holding: args.holding });
    },
    submitLabel: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return submitLabel(deps, principal, { assignmentId: args.assignmentId, value: args.value });
    },
    skipLabelTask: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return skipLabelTask(deps, principal, args.assignmentId);
    },
    undoLastLabel: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:work");
      return undoLastLabel(deps, principal, args.projectId);
    },
    exportGoldLabels: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return exportGoldLabels(deps, principal, { projectId: args.projectId, datasetName: args.datasetName });
    },
    adjudicate: (_parent, args, { principal, deps }) => {
      assertCan(principal, "labelling:manage");
      return adjudicate(deps, principal, { taskId: args.taskId, value: args.value });
    },
  },
  LabelSchema: {
    type: (schema) => {
      if (!isLabelSchemaType(schema.type))
        throw new Error(`Label schema ${schema.id} has unknown type ${schema.type}`);
      return schema.type;
    },
    options: (schema) =>
      ((schema.options ?? []) as TLabelOption[]).map((option) => ({
        value: option.value,
        label: option.label ?? option.value,
      })),
  },
  LabelProject: {
    progress: (project, _args, { deps }) => projectProgress(deps, project),
    exportableGoldLabels: (project, _args, { deps }) =>
      countGoldTasks(deps.pool, project.id, project.overlap),
    exports: (project, _args, { principal, deps }) =>
      can(principal, "labelling:manage") ? findLabelExports(deps, project.id) : [],
    members: (project, _args, { principal, deps }) =>
      can(principal, "labelling:manage") ? findLabelProjectMembers(deps, project.id) : [],
  },
};
