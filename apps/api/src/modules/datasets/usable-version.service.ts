// The one gate every downstream area passes before it reads a dataset version (features, training,
// profiles, attributes, images, search, cleaning, quality): the version exists, is READY, is of the
// expected kind, has its column schema and the column roles the reader needs, and passed its quality
// gate or was overridden by a steward. Issue 16: cleaning and quality runs read a gated version
// (`qualityGate: false`), since fixing and measuring bad data is how a gate opens again.
import type { DatasetKind } from "@dam/db/client";
import type { TColumnRole } from "@dam/vocabulary/column-roles";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { findVersionForGate } from "./datasets.repository.ts";

/** A stored column as the gate reads it; readers pass a richer schema when they need more fields. */
export const ZUsableColumn = z.object({ name: z.string(), type: z.string(), role: z.string().nullish() });

type TColumnSchema = z.ZodType<{ name: string; role?: string | null }>;

export type TUsableVersionOptions<TColumn extends TColumnSchema> = {
  /** Kinds the reader accepts; any kind when omitted. */
  kind?: DatasetKind | readonly DatasetKind[];
  /** Column roles the reader needs. */
  roles?: readonly TColumnRole[];
  /** The request field that named the version: prefixes every message and is the error's field. */
  field?: string;
  /** The schema each stored column is parsed with; ZUsableColumn when omitted. */
  column?: TColumn;
  /** False only for cleaning and quality runs, which must read a gated version (issue 16). */
  qualityGate?: boolean;
};

export type TUsableVersionFail = {
  ok: false;
  code: "NOT_FOUND" | "PRECONDITION_FAILED" | "BAD_USER_INPUT";
  message: string;
  reason?: "QUALITY_GATE";
};

const loadVersion = (deps: TDeps, versionId: string) => findVersionForGate(deps.db, versionId);

/**
 * The gate as a result, for job code that reports a refusal its own way (an UnrecoverableError, a
 * failed run); request code calls readUsableVersion, which throws it as an AppError.
 */
export const checkUsableVersion = async <TColumn extends TColumnSchema = typeof ZUsableColumn>(
  deps: TDeps,
  versionId: string,
  options: TUsableVersionOptions<TColumn> = {},
) => {
  const at = options.field ? `${options.field}: ` : "";
  const fail = (message: string, code: TUsableVersionFail["code"] = "PRECONDITION_FAILED") =>
    ({ ok: false, code, message }) as const;
  const version = await loadVersion(deps, versionId);
  if (!version) {
    return fail(
      options.field
        ? `${at}dataset version ${versionId} does not exist`
        : `Dataset version ${versionId} does not exist`,
      "NOT_FOUND",
    );
  }
  const label = `${version.dataset.name} v${version.number}`;
  if (version.status !== "READY") return fail(`${at}${label} is ${version.status}, not READY`);
  const kinds = options.kind === undefined ? null : ([] as DatasetKind[]).concat(options.kind);
  if (kinds && !kinds.includes(version.dataset.kind)) {
    // The request named a version of the wrong kind: bad input, not a state to wait for.
    return fail(
      `${at}${label} is a ${version.dataset.kind} version, not ${kinds.join(" or ")}`,
      "BAD_USER_INPUT",
    );
  }
  const schema = (options.column ?? ZUsableColumn) as TColumn;
  const parsed = z.array(schema).safeParse(version.schema);
  if (!parsed.success) return fail(`${at}${label} has no readable column schema`);
  const columns = parsed.data as z.infer<TColumn>[];
  const missing = (options.roles ?? []).filter((role) => !columns.some((column) => column.role === role));
  if (missing.length > 0) {
    return fail(
      `${at}${label} has no column with the role ${missing.join(" or ")}; give the ${missing.length > 1 ? "columns those roles" : "column that role"} on import`,
    );
  }
  if ((options.qualityGate ?? true) && version.qualityFailed && !version.qualityOverride) {
    return {
      ...fail(
        `${at}${label} failed its quality gate (an ERROR rule failed); fix the data or have a steward override the gate first`,
      ),
      reason: "QUALITY_GATE",
    } as const;
  }
  const byRole = (role: TColumnRole) => columns.find((column) => column.role === role);
  return { ok: true, version, label, columns, byRole } as const;
};

/** The gate for request code: the usable version, or an AppError naming what is wrong and where. */
export const readUsableVersion = async <TColumn extends TColumnSchema = typeof ZUsableColumn>(
  deps: TDeps,
  versionId: string,
  options: TUsableVersionOptions<TColumn> = {},
) => {
  const read = await checkUsableVersion(deps, versionId, options);
  if (!read.ok) {
    throw new AppError(read.code, read.message, {
      versionId,
      ...(options.field ? { field: options.field } : {}),
      ...("reason" in read ? { reason: read.reason } : {}),
    });
  }
  return read;
};
