import type { PrismaClient, Role } from "@dam/db/client";
import type { Redis } from "ioredis";
import { AppError } from "../../errors/app-error.ts";
import { inAuditedTransaction, recordAudit } from "../audit/audit.service.ts";
import type { TConnection } from "../core/pagination.ts";
import { displayPrefix, generateApiKey, hashApiKey } from "./api-key.ts";
import {
  findApiKeyByHash,
  findApiKeyById,
  findApiKeysPage,
  findLiveApiKeysWithRole,
  insertApiKey,
  setApiKeyRevokedAt,
  touchApiKeyLastUsed,
  upsertApiKeyByHash,
} from "./auth.repository.ts";
import { authenticateSession, revokeSessionsOfKey, type TSessionEnv } from "./console-session.service.ts";
import { KEY_CACHE_MAX, keyCacheOf } from "./key-cache.ts";
import type { TPrincipal } from "./permissions.ts";
import { publishRevokedKey } from "./revoked-keys-channel.ts";

type TDb = PrismaClient;
type TApiKeyRow = Awaited<ReturnType<TDb["apiKey"]["findFirstOrThrow"]>>;

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a request's credentials to its principal, or throws UNAUTHENTICATED: an API key
 * (`Authorization: Bearer <key>`) or a console session (`Authorization: Session <token>`).
 */
export const authenticate = async (
  deps: { db: TDb; env: { DAM_KEY_CACHE_MS: number } & TSessionEnv },
  authorization: string | undefined,
): Promise<TPrincipal> => {
  const session = /^Session\s+(\S+)$/i.exec(authorization ?? "");
  if (session?.[1]) return authenticateSession(deps, session[1]);
  return authenticateKey(deps, authorization);
};

/**
 * Resolves the bearer token of a request to its principal, or throws UNAUTHENTICATED. A key checked
 * in the last DAM_KEY_CACHE_MS is trusted without a database read: serving answers in a millisecond
 * or two, and a query per request would cost as much as the answer.
 */
const authenticateKey = async (
  deps: { db: TDb; env: { DAM_KEY_CACHE_MS: number } },
  authorization: string | undefined,
): Promise<TPrincipal> => {
  const { db } = deps;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) {
    throw new AppError("UNAUTHENTICATED", "Missing API key: send `Authorization: Bearer <key>`");
  }
  const hash = hashApiKey(match[1]);
  const now = Date.now();
  const cache = keyCacheOf(db);
  const cached = cache.get(hash);
  if (
    cached &&
    now - cached.checkedAt < deps.env.DAM_KEY_CACHE_MS &&
    (cached.expiresAt === null || cached.expiresAt > now)
  ) {
    return cached.principal;
  }
  const row = await findApiKeyByHash(db, hash);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) {
    cache.delete(hash);
    throw new AppError("UNAUTHENTICATED", "Invalid, revoked or expired API key");
  }
  // Writing on every request would make reads write; a minute's resolution is enough for "last used".
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await touchApiKeyLastUsed(db, row.id, new Date(now));
  }
  const principal = {
    keyId: row.id,
    name: row.name,
    role: row.role,
    keyPrefix: row.prefix,
    userId: row.userId,
    sessionId: null,
  };
  if (cache.size >= KEY_CACHE_MAX) cache.clear();
  cache.set(hash, { principal, checkedAt: now, expiresAt: row.expiresAt?.getTime() ?? null });
  return principal;
};

/** Makes the bootstrap admin token a valid ADMIN key; idempotent, safe at every start. */
export const ensureBootstrapAdminKey = async (db: TDb, token: string): Promise<void> => {
  await upsertApiKeyByHash(db, {
    name: "bootstrap admin",
    prefix: displayPrefix(token),
    hash: hashApiKey(token),
    role: "ADMIN",
  });
};

export const createApiKey = async (
  db: TDb,
  actor: TPrincipal,
  input: { name: string; role: Role },
): Promise<{ key: string; apiKey: TApiKeyRow }> => {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw new AppError("BAD_USER_INPUT", "name: must be 1 to 100 characters", { field: "name" });
  }
  const key = generateApiKey();
  // The key and its audit entry commit together: a key nobody can trace must not exist.
  const apiKey = await inAuditedTransaction(db, async (tx) => {
    const created = await insertApiKey(tx, {
      name,
      role: input.role,
      prefix: displayPrefix(key),
      hash: hashApiKey(key),
    });
    await recordAudit(tx, actor, "apiKey.create", "ApiKey", created.id, { name, role: input.role });
    return created;
  });
  return { key, apiKey };
};

/**
 * Revokes a key: at once in this process, and in the other API processes as soon as they hear the
 * announcement (else when their cache entry expires). Its console sessions are revoked with it; they
 * are checked against the database on each request, so that holds in every process at once.
 */
export const revokeApiKey = async (
  deps: { db: TDb; redis: Redis; env: { DAM_QUEUE_PREFIX: string } },
  actor: TPrincipal,
  id: string,
): Promise<TApiKeyRow> => {
  const { db } = deps;
  const existing = await findApiKeyById(db, id);
  if (!existing) throw new AppError("NOT_FOUND", `API key ${id} not found`);
  if (existing.id === actor.keyId) {
    throw new AppError("CONFLICT", "A key cannot revoke itself; use another admin key");
  }
  // The key, its console sessions and the audit entry end together: a session must never outlive its
  // key, and no revocation goes unaudited.
  const apiKey = await inAuditedTransaction(db, async (tx) => {
    const revoked = await setApiKeyRevokedAt(tx, id, existing.revokedAt ?? new Date());
    await revokeSessionsOfKey(tx, id, "KEY_REVOKED");
    await recordAudit(tx, actor, "apiKey.revoke", "ApiKey", id, { name: existing.name });
    return revoked;
  });
  // After the commit: other processes re-read the key when they hear of it.
  keyCacheOf(db).delete(existing.hash);
  await publishRevokedKey(deps.redis, deps.env.DAM_QUEUE_PREFIX, existing.hash);
  return apiKey;
};

export const findApiKeys = async (
  db: TDb,
  args: { first: number; after?: string | null; includeRevoked: boolean },
): Promise<TConnection<TApiKeyRow>> => findApiKeysPage(db, args.includeRevoked, args);

/** A key that works now (not revoked, not expired), or null; for other areas that refer to keys by id. */
export const findActiveApiKey = async (db: TDb, id: string): Promise<TApiKeyRow | null> => {
  const key = await findApiKeyById(db, id);
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) return null;
  return key;
};

/** Keys of a role that work now, by name; at most `limit`. */
export const findActiveApiKeysWithRole = (db: TDb, role: Role, limit: number): Promise<TApiKeyRow[]> =>
  findLiveApiKeysWithRole(db, role, new Date(), limit);
