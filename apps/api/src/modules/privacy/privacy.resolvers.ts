import { ZMaskingMode, ZPiiType } from "@dam/privacy/pii-types";
import { columnsOf, parseRule } from "@dam/quality/rule-types";
import { z } from "zod";
import type { PiiTag, Resolvers } from "../../generated/graphql.ts";
import { assertCan, can } from "../auth/permissions.ts";
import { maskJson, maskQualitySamples } from "./json-masking.ts";
import { labelTaskMasking, maskerForQualityRun } from "./pii-masking.service.ts";
import {
  decidePiiTag,
  findVersionPiiTags,
  requestPiiClassification,
  type TPiiTagModel,
} from "./pii-tags.service.ts";

const ZEvidence = z.object({
  valueShare: z.number().optional(),
  nameMatch: z.boolean().optional(),
  sampled: z.number().optional(),
  contains: z.array(ZPiiType).optional(),
});

const toPiiTag = (t: TPiiTagModel): PiiTag => {
  const evidence = ZEvidence.safeParse(t.evidence);
  const e = evidence.success ? evidence.data : {};
  return {
    id: t.id,
    column: t.column,
    piiType: ZPiiType.parse(t.piiType),
    confidence: t.confidence,
    source: z.enum(["CLASSIFIER", "LINEAGE", "STEWARD"]).parse(t.source),
    status: t.status,
    maskingMode: ZMaskingMode.parse(t.maskingMode),
    valueShare: e.valueShare ?? null,
    nameMatch: e.nameMatch ?? null,
    sampled: e.sampled ?? null,
    contains: e.contains ?? [],
    inheritedFromVersionId: t.inheritedFromVersionId,
  };
};

// Values leave the server through fields other areas own; these resolvers wrap them so a caller without
// pii:read gets them masked (the areas' own resolvers stay as they are).
export const privacyResolvers: Resolvers = {
  QualityResult: {
    samples: async (result, _args, { principal, deps }) => {
      const masker = await maskerForQualityRun(deps, principal, result.runId);
      if (!masker) return result.samples;
      const parsed = parseRule({ ...result.rule, severity: result.rule.severity });
      return maskQualitySamples(result.samples, parsed.ok ? columnsOf(parsed.rule) : [], masker);
    },
    observed: async (result, _args, { principal, deps }) => {
      const masker = await maskerForQualityRun(deps, principal, result.runId);
      return masker ? maskJson(result.observed, masker) : result.observed;
    },
  },
  LabelAssignment: {
    task: async (assignment, _args, { principal, deps }) => {
      const { masker, visible } = await labelTaskMasking(deps, principal, assignment.projectId);
      return masker
        ? { ...assignment.task, payload: maskJson(assignment.task.payload, masker, 0, visible) }
        : assignment.task;
    },
  },
  DatasetVersion: {
    piiTags: async (version, _args, { principal, deps }) => {
      assertCan(principal, "catalog:read");
      return (await findVersionPiiTags(deps, version.id)).map(toPiiTag);
    },
    piiMasked: (_version, _args, { principal }) => !can(principal, "pii:read"),
  },
  Mutation: {
    classifyVersionPii: (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return requestPiiClassification(deps, principal, args.versionId);
    },
    decidePiiTag: async (_parent, args, { principal, deps }) => {
      assertCan(principal, "pii:manage");
      return (await decidePiiTag(deps, principal, args.input)).map(toPiiTag);
    },
  },
};
