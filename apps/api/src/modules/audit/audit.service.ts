import type { PrismaClient } from "@dam/db/client";
import type { TPrincipal } from "../auth/permissions.ts";
import { decodeCursor, toConnection } from "../core/pagination.ts";

type TDb = PrismaClient;

export const recordAudit = async (
  db: TDb,
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
  const cursor = decodeCursor(args.after);
  const [rows, totalCount] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: { id: "desc" },
      take: args.first + 1,
      ...(cursor ? { cursor: { id: BigInt(cursor) }, skip: 1 } : {}),
    }),
    db.auditEvent.count({ where }),
  ]);
  const withStringIds = rows.map((row) => ({ ...row, id: row.id.toString() }));
  return toConnection(withStringIds, args.first, totalCount, Boolean(cursor));
};
