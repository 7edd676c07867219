import { maskEmbedded, maskValue } from "@dam/privacy/masking";
import { type TMaskingMode, type TPiiType, ZMaskingMode, ZPiiType } from "@dam/privacy/pii-types";
import type { TDeps } from "../../deps.ts";
import { can, type TPrincipal } from "../auth/permissions.ts";
import { readPseudonymSecret } from "./pii-secret.service.ts";
import { findLiveTagsOfVersions } from "./pii-tags.repository.ts";
import { findLabelProjectMaskingScope, findQualityRunVersionId } from "./privacy.repository.ts";

export type TColumnPolicy = { piiType: TPiiType; mode: TMaskingMode };

/** How a caller without pii:read sees a version's values: column -> the strongest live tag's mode. */
export type TVersionMasker = {
  columns: ReadonlyMap<string, TColumnPolicy>;
  /** Masks one cell of a column; untagged columns pass through. */
  cell: (column: string, value: string | null) => string | null;
  /** Masks the tagged fields of a row object (other fields unchanged). */
  row: <T extends Record<string, unknown>>(row: T) => T;
  /** Masks the PII with a checkable shape inside any text (raw rejected lines, free text). */
  text: (value: string) => string;
};

/** The masking policy of a version: every tag not rejected by a steward masks its column. */
export const findMaskingPolicy = async (
  deps: TDeps,
  versionIds: readonly string[],
): Promise<Map<string, TColumnPolicy>> => {
  const tags = await findLiveTagsOfVersions(deps.db, [...versionIds]);
  const policy = new Map<string, TColumnPolicy>();
  for (const tag of tags) {
    if (!policy.has(tag.column))
      policy.set(tag.column, {
        piiType: ZPiiType.parse(tag.piiType),
        mode: ZMaskingMode.parse(tag.maskingMode),
      });
  }
  return policy;
};

const toText = (value: unknown): string =>
  value instanceof Date
    ? value.toISOString()
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);

export const buildMasker = (columns: ReadonlyMap<string, TColumnPolicy>, secret: string): TVersionMasker => {
  const cell = (column: string, value: string | null): string | null => {
    const policy = columns.get(column);
    return policy && value !== null ? maskValue(value, policy.piiType, policy.mode, secret) : value;
  };
  return {
    columns,
    cell,
    row: (row) => {
      const out: Record<string, unknown> = { ...row };
      for (const [name, value] of Object.entries(row)) {
        if (columns.has(name) && value !== null && value !== undefined) out[name] = cell(name, toText(value));
      }
      return out as typeof row;
    },
    text: (value) => maskEmbedded(value, "REDACT", secret),
  };
};

/**
 * The masker for a caller reading the given versions' values, or null when the caller may read PII
 * (`pii:read`) and values go out as stored. Every place that sends values out asks this first.
 */
export const maskerFor = async (
  deps: TDeps,
  principal: TPrincipal,
  versionIds: readonly string[],
): Promise<TVersionMasker | null> => {
  if (can(principal, "pii:read")) return null;
  const [columns, secret] = await Promise.all([
    findMaskingPolicy(deps, versionIds),
    readPseudonymSecret(deps),
  ]);
  return buildMasker(columns, secret);
};

/** The masker for a quality result's values (those of the version its run checked), or null. */
export const maskerForQualityRun = async (
  deps: TDeps,
  principal: TPrincipal,
  runId: string,
): Promise<TVersionMasker | null> => {
  const versionId = await findQualityRunVersionId(deps.db, runId);
  return versionId ? maskerFor(deps, principal, [versionId]) : null;
};

/** The masker for a label project's task payloads, and the payload fields its labellers see unmasked. */
export const labelTaskMasking = async (
  deps: TDeps,
  principal: TPrincipal,
  projectId: string,
): Promise<{ masker: TVersionMasker | null; visible: Set<string> }> => {
  const project = await findLabelProjectMaskingScope(deps.db, projectId);
  const masker = await maskerFor(deps, principal, project?.sourceVersionId ? [project.sourceVersionId] : []);
  return { masker, visible: new Set(project?.visiblePayloadFields ?? []) };
};
