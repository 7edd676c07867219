import type { Prisma } from "@dam/db/client";
import type { TDeps } from "../../deps.ts";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TPrincipal } from "../auth/permissions.ts";
import { assertColumnRoles } from "./column-roles.ts";
import { findVersionById, updateVersionSchema } from "./datasets.repository.ts";

type TStoredColumn = { name: string; source?: string; role?: string | null } & Record<string, unknown>;

export type TColumnRoleUpdate = { column: string; role: string | null };

/**
 * Rewrites the roles in a version's schema. Roles are metadata about the rows, not the rows, so the
 * version stays immutable in what it holds; every change is audited with its before and after.
 * Downstream jobs read roles from the schema when they start, so the next run sees the change.
 */
export const updateColumnRoles = async (
  deps: TDeps,
  actor: TPrincipal | null,
  versionId: string,
  updates: TColumnRoleUpdate[],
) => {
  const version = await findVersionById(deps.db, versionId);
  if (!version) throw new AppError("NOT_FOUND", `versionId: no version ${versionId}`, { field: "versionId" });
  const schema = (version.schema as TStoredColumn[] | null) ?? [];
  if (schema.length === 0) {
    throw new AppError("PRECONDITION_FAILED", `Version ${versionId} has no columns yet (${version.status})`, {
      field: "versionId",
    });
  }
  if (updates.length === 0) {
    throw new AppError("BAD_USER_INPUT", "roles: name at least one column", { field: "roles" });
  }
  // A column may be named as in the table or as in the file it came from.
  const byName = new Map<string, TStoredColumn>();
  for (const column of schema) {
    byName.set(column.name, column);
    if (column.source && !byName.has(column.source)) byName.set(column.source, column);
  }
  const resolved = updates.map(({ column, role }) => ({ column: byName.get(column)?.name ?? column, role }));
  assertColumnRoles(
    schema.map((column) => column.name),
    resolved,
  );
  const next = new Map(schema.map((column) => [column.name, column.role ?? null]));
  for (const { column, role } of resolved) {
    if (role !== null) {
      for (const [other, held] of next) if (held === role && other !== column) next.set(other, null);
    }
    next.set(column, role);
  }
  const changes = schema
    .filter((column) => (column.role ?? null) !== next.get(column.name))
    .map((column) => ({ column: column.name, from: column.role ?? null, to: next.get(column.name) ?? null }));
  if (changes.length === 0) return version;
  return inAuditedTransaction(deps.db, async (tx) => {
    const updated = await updateVersionSchema(
      tx,
      versionId,
      schema.map((column) => ({ ...column, role: next.get(column.name) ?? null })) as Prisma.InputJsonValue,
    );
    await recordAudit(tx, actor, "version.roles", "DatasetVersion", versionId, { changes });
    return updated;
  });
};
