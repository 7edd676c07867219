import type { PrismaClient } from "@dam/db/client";

type TDb = PrismaClient;
/** The Prisma client or a transaction client. */
type TSessionWriter = Pick<TDb, "consoleSession">;

/** Deletes a key's sessions that ended (expired, revoked or idle) before `endedBefore`. */
export const deleteSessionsEndedBefore = async (
  db: TDb,
  apiKeyId: string,
  endedBefore: Date,
): Promise<void> => {
  await db.consoleSession.deleteMany({
    where: {
      apiKeyId,
      OR: [
        { expiresAt: { lt: endedBefore } },
        { revokedAt: { lt: endedBefore } },
        { lastSeenAt: { lt: endedBefore } },
      ],
    },
  });
};

export const insertSession = (
  db: TSessionWriter,
  session: { hash: string; apiKeyId: string; expiresAt: Date },
) => db.consoleSession.create({ data: session });

/** A session by its token's hash, with its key. */
export const findSessionByHash = (db: TDb, hash: string) =>
  db.consoleSession.findUnique({ where: { hash }, include: { apiKey: true } });

export const touchSessionLastSeen = async (db: TDb, id: string, at: Date): Promise<void> => {
  await db.consoleSession.update({ where: { id }, data: { lastSeenAt: at } });
};

/** Marks live sessions revoked: one by id, or every one of a key; returns the count. */
export const revokeLiveSessions = (
  db: TSessionWriter,
  where: { id: string } | { apiKeyId: string },
  reason: string,
  at: Date,
) =>
  db.consoleSession.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: at, revokedReason: reason },
  });
