import type { PrismaClient, Role } from "@dam/db/client";
import { findConnectionPage, type TPageArgs } from "../core/pagination.ts";

type TDb = PrismaClient;
/** The models a key's writes touch; the Prisma client or a transaction client. */
type TKeyWriter = Pick<TDb, "apiKey">;

export const findApiKeyByHash = (db: TDb, hash: string) => db.apiKey.findUnique({ where: { hash } });

export const findApiKeyById = (db: TDb, id: string) => db.apiKey.findUnique({ where: { id } });

export const touchApiKeyLastUsed = async (db: TDb, id: string, at: Date): Promise<void> => {
  await db.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
};

/** Creates the key with this hash, or un-revokes it when it exists. */
export const upsertApiKeyByHash = async (
  db: TDb,
  key: { name: string; prefix: string; hash: string; role: Role },
): Promise<void> => {
  await db.apiKey.upsert({ where: { hash: key.hash }, create: key, update: { revokedAt: null } });
};

export const insertApiKey = (
  db: TKeyWriter,
  key: { name: string; prefix: string; hash: string; role: Role },
) => db.apiKey.create({ data: key });

export const setApiKeyRevokedAt = (db: TKeyWriter, id: string, revokedAt: Date) =>
  db.apiKey.update({ where: { id }, data: { revokedAt } });

/** One page of keys, newest first; revoked keys only when asked. */
export const findApiKeysPage = (db: TDb, includeRevoked: boolean, page: TPageArgs) =>
  findConnectionPage(
    db.apiKey,
    { where: includeRevoked ? {} : { revokedAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] },
    page,
  );

/** Keys of a role that are neither revoked nor expired at `now`, by name. */
export const findLiveApiKeysWithRole = (db: TDb, role: Role, now: Date, limit: number) =>
  db.apiKey.findMany({
    where: { role, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit,
  });
