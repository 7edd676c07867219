import { maskEmbedded, maskValue } from "@dam/privacy/masking";
import { type TMaskingMode, type TPiiType, ZMaskingMode, ZPiiType } from "@dam/privacy/pii-types";
import type { TDeps } from "../../deps.ts";
import { can, type TPrincipal } from "../auth/permissions.ts";
import { readPseudonymSecret } from "./pii-secret.service.ts";

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
  const tags = await deps.db.columnPiiTag.findMany({
    where: { versionId: { in: [...versionIds] }, status: { not: "REJECTED" } },
    orderBy: [{ status: "desc" }, { confidence: "desc" }],
  });
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
