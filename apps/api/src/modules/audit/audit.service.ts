import type { Prisma, PrismaClient } from "@dam/db/client";
import type { TPrincipal } from "../auth/permissions.ts";
import { findBigIntConnectionPage } from "../core/pagination.ts";

type TDb = PrismaClient;

/** Records an audit event; give the transaction client to record it with the change it describes. */
export const recordAudit = async (
  db: TDb | Prisma.TransactionClient,
  actor: TPrincipal | null,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, unknown> = {},
): Promise<void> => {
  await db.auditEvent.create({
    data: {
      action,
      targetType,
      targetId,
      details: details as object,
      actorKeyId: actor?.keyId ?? null,
      actorId: actor?.userId ?? null,
    },
  });
};

export const findAuditEvents = async (
  db: TDb,
  args: { first: number; after?: string | null; targetType?: string | null },
) => {
  const where = args.targetType ? { targetType: args.targetType } : {};
  return findBigIntConnectionPage(db.auditEvent, { where, orderBy: { id: "desc" } }, args);
};
