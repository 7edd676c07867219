import type { TColumnRole } from "@dam/vocabulary/column-roles";
import { z } from "zod";
import type { TDeps } from "../../deps.ts";
import { checkUsableVersion, type TUsableVersionFail } from "../datasets/usable-version.service.ts";

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

type TFail = TUsableVersionFail;

const byRole = (columns: TColumn[], role: string) => columns.find((c) => c.role === role) ?? null;

/** The datasets gate (READY, roles, quality passed or overridden), as a result for the profile job. */
const readGatedVersion = (deps: TDeps, versionId: string, field: string, roles: readonly TColumnRole[]) =>
  checkUsableVersion(deps, versionId, { column: ZColumn, field, roles });

export const readEventsSource = async (
  deps: TDeps,
  versionId: string,
): Promise<{ ok: true; source: TEventsSource } | TFail> => {
  const read = await readGatedVersion(deps, versionId, "eventsVersionId", ["userId", "itemId", "timestamp"]);
  if (!read.ok) return read;
  const { version, label, columns } = read;
  const timestamp = byRole(columns, "timestamp")!;
  if (timestamp.type !== "timestamp") {
    return {
      ok: false,
      code: "PRECONDITION_FAILED",
      message: `eventsVersionId: ${label} column ${timestamp.name} (role timestamp) is ${timestamp.type}, expected timestamp`,
    };
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
  const read = await readGatedVersion(deps, versionId, "catalogVersionId", ["itemId"]);
  if (!read.ok) return read;
  const { version, label, columns } = read;
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
