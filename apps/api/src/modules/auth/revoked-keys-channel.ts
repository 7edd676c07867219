// Revocations, announced to every API process so each drops the key from its cache at once instead
// of trusting it for up to DAM_KEY_CACHE_MS (core/redis-channel.ts). A process that misses the message
// stops trusting the key when its cache entry expires, as before.
import type { PrismaClient } from "@dam/db/client";
import type { Redis } from "ioredis";
import { z } from "zod";
import { logger } from "../../logger.ts";
import { defineChannel, type TChannelSubscription } from "../core/redis-channel.ts";
import { forgetCachedKey } from "./key-cache.ts";

const ZRevokedKey = z.object({
  /** ApiKey.hash of the revoked key (the key itself never leaves the process that made it). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

const revokedKeys = defineChannel("auth:revoked", ZRevokedKey);

/** The channel for a queue prefix: `${DAM_QUEUE_PREFIX}:auth:revoked`. */
export const revokedKeysChannel = revokedKeys.name;

export const publishRevokedKey = (redis: Redis, prefix: string, hash: string): Promise<number> =>
  revokedKeys.publish(redis, prefix, { hash });

/** Drops each announced key from the cache of `db`'s process. */
export const subscribeRevokedKeys = (
  redis: Redis,
  prefix: string,
  db: PrismaClient,
): Promise<TChannelSubscription> =>
  revokedKeys.subscribe(redis, prefix, {
    onMessage: ({ hash }) => forgetCachedKey(db, hash),
    onError: (error) => logger.error("auth: revocation message failed", { error: error.message }),
  });
