import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { readReadyVersion } from "../datasets/ready-version.ts";

const ZColumn = z.object({ name: z.string(), type: z.string(), role: z.string().nullable().optional() });
type TColumn = z.infer<typeof ZColumn>;

/** The columns of an EVENTS version a profile run reads, found by their roles. */
export type TEventsSource = {
  versionId: string;
  table: string;
  label: string;
  userColumn: string;
  itemColumn: string;
  timestampColumn: string;
  /** Without an eventType column every row counts as a purchase (a transactions table). */
  eventTypeColumn: string | null;
  quantityColumn: string | null;
  priceColumn: string | null;
  sessionColumn: string | null;
};

/** The columns of a CATALOG version that give items their category and price. */
export type TCatalogColumns = {
  versionId: string;
  table: string;
  label: string;
  itemColumn: string;
  categoryColumn: string | null;
  priceColumn: string | null;
};

type TFail = { ok: false; code: "NOT_FOUND" | "PRECONDITION_FAILED"; message: string };

const byRole = (columns: TColumn[], role: string) => columns.find((c) => c.role === role) ?? null;

/** A READY version that passed its quality gate (or was overridden), with its columns. */
const readGatedVersion = async (deps: TDeps, versionId: string, field: string) => {
  const read = await readReadyVersion(deps, versionId, ZColumn, field);
  if (read.ok && read.version.qualityFailed && !read.version.qualityOverride) {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `${field}: ${read.label} failed its quality gate; a steward must override it first`,
    } as const;
  }
  return read;
};

const needRole = (columns: TColumn[], role: string, label: string, field: string, type?: string) => {
  const column = byRole(columns, role);
  if (!column) return `${field}: ${label} has no column with the role ${role}; give it that role on import`;
  if (type && column.type !== type) {
    return `${field}: ${label} column ${column.name} (role ${role}) is ${column.type}, expected ${type}`;
  }
  return null;
};

export const readEventsSource = async (
  deps: TDeps,
  versionId: string,
): Promise<{ ok: true; source: TEventsSource } | TFail> => {
  const read = await readGatedVersion(deps, versionId, "eventsVersionId");
  if (!read.ok) return read;
  const { version, label, columns } = read;
  for (const [role, type] of [["userId"], ["itemId"], ["timestamp", "timestamp"]] as const) {
    const problem = needRole(columns, role, label, "eventsVersionId", type);
    if (problem) return { ok: false, code: "PRECONDITION_FAILED", message: problem };
  }
  return {
    ok: true,
    source: {
      versionId,
      table: version.tableName,
      label,
      userColumn: byRole(columns, "userId")!.name,
      itemColumn: byRole(columns, "itemId")!.name,
      timestampColumn: byRole(columns, "timestamp")!.name,
      eventTypeColumn: byRole(columns, "eventType")?.name ?? null,
      quantityColumn: byRole(columns, "quantity")?.name ?? null,
      priceColumn: byRole(columns, "price")?.name ?? null,
      // Orders are counted as distinct sessions (events) or order ids (transactions) with a purchase.
      sessionColumn: (byRole(columns, "sessionId") ?? byRole(columns, "orderId"))?.name ?? null,
    },
  };
};

export const readCatalogColumns = async (
  deps: TDeps,
  versionId: string,
): Promise<{ ok: true; source: TCatalogColumns } | TFail> => {
  const read = await readGatedVersion(deps, versionId, "catalogVersionId");
  if (!read.ok) return read;
  const { version, label, columns } = read;
  const problem = needRole(columns, "itemId", label, "catalogVersionId");
  if (problem) return { ok: false, code: "PRECONDITION_FAILED", message: problem };
  const price = byRole(columns, "price");
  return {
    ok: true,
    source: {
      versionId,
      table: version.tableName,
      label,
      itemColumn: byRole(columns, "itemId")!.name,
      // A derived version may carry an extracted product type where no category was given.
      categoryColumn: (byRole(columns, "category") ?? byRole(columns, "productType"))?.name ?? null,
      priceColumn: price && (price.type === "decimal" || price.type === "integer") ? price.name : null,
    },
  };
};
