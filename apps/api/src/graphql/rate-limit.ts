import type { Redis } from "ioredis";
import { logger } from "../logger.ts";

// Token bucket per key, in one Lua script so that concurrent requests on several API processes
// refill and take atomically (no read-modify-write race). State: tokens and the time (ms) they were
// counted at; Redis's own clock (TIME) is used so processes with skewed clocks agree.
// Returns { allowed (1|0), ms until one token is available }.
const TOKEN_BUCKET = `
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local waitMs = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  waitMs = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', key, 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
return { allowed, waitMs }
`;

// A limiter that cannot answer (Redis down or slow) lets the request through: availability of the
// API matters more than the limit, and the other defences (query cost, body size) still hold.
const ANSWER_TIMEOUT_MS = 250;

export type TRateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type TRateLimiter = {
  take: (subject: string) => Promise<TRateLimitDecision>;
  close: () => Promise<void>;
};

export const createRateLimiter = (
  redis: Redis,
  options: { prefix: string; perSecond: number; burst: number },
): TRateLimiter => {
  if (options.perSecond <= 0) {
    return { take: async () => ({ allowed: true }), close: async () => {} };
  }
  // Its own connection without an offline queue: while Redis is away a command fails at once instead
  // of waiting for the reconnect, and requests go on (fail open).
  const connection = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  connection.on("error", () => {});
  connection.defineCommand("damTokenBucket", { numberOfKeys: 1, lua: TOKEN_BUCKET });
  const run = (key: string) =>
    (
      connection as unknown as {
        damTokenBucket: (key: string, rate: number, burst: number, cost: number) => Promise<[number, number]>;
      }
    ).damTokenBucket(key, options.perSecond, options.burst, 1);

  let lastWarnAt = 0;
  const take = async (subject: string): Promise<TRateLimitDecision> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        run(`${options.prefix}:ratelimit:${subject}`),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
        }),
      ]);
      if (!answer) return { allowed: true };
      const [allowed, waitMs] = answer;
      return allowed === 1
        ? { allowed: true }
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (error) {
      // Once per 10 s at most: while Redis is away every request lands here.
      if (Date.now() - lastWarnAt > 10_000) {
        lastWarnAt = Date.now();
        logger.warn("rate limiter unavailable, requests let through", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return { allowed: true };
    } finally {
      clearTimeout(timer);
    }
  };
  return { take, close: async () => void connection.disconnect() };
};
