// The API keys a process has checked recently, so a request need not wait on a database read.
import type { PrismaClient } from "@dam/db/client";
import type { TPrincipal } from "./permissions.ts";

// How long a process trusts a key it has checked is DAM_KEY_CACHE_MS (5 s by default). A revocation
// takes effect at once in the process that made it, and in the other API processes when they hear
// its announcement (revoked-keys-channel.ts) or at the latest after that time.

/** Entries per process; past it the cache starts over (a flood of distinct keys cannot grow it). */
export const KEY_CACHE_MAX = 10_000;

export type TCachedKey = { principal: TPrincipal; checkedAt: number; expiresAt: number | null };

// Per database client, so test stacks sharing a process never see each other's keys.
const keyCaches = new WeakMap<PrismaClient, Map<string, TCachedKey>>();

/** The cache of the process that holds `db`, keyed by ApiKey.hash. */
export const keyCacheOf = (db: PrismaClient): Map<string, TCachedKey> => {
  let cache = keyCaches.get(db);
  if (!cache) {
    cache = new Map();
    keyCaches.set(db, cache);
  }
  return cache;
};

/** Stops trusting a key without a fresh database read. */
export const forgetCachedKey = (db: PrismaClient, hash: string): void => {
  keyCacheOf(db).delete(hash);
};
