// Search analytics in Redis: every search is recorded under its searchId (30 days) and counted per
// query; trackEvents events that carry a searchId count as clicks of that search's query, so the
// console can show top queries, zero-result queries and click-through.
import type { TDeps } from "../../deps.ts";

const SEARCH_TTL_SECONDS = 30 * 24 * 3600;
const RECENT_SEARCHES = 1_000;
export const SEARCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const keys = (prefix: string) => ({
  search: (searchId: string) => `${prefix}:search:s:${searchId}`,
  recent: `${prefix}:search:recent`,
  queries: `${prefix}:search:queries`,
  zero: `${prefix}:search:zero`,
  clicks: `${prefix}:search:clicks`,
  /** The searchIds a user made (kept as long as their logs), so an erasure finds them. */
  user: (userId: string) => `${prefix}:search:u:${userId}`,
});

/** Lower case, single spaces: "Red  Mug" and "red mug" count as one query. */
export const normaliseQuery = (query: string): string => query.trim().toLowerCase().replace(/\s+/g, " ");

export type TSearchLogEntry = {
  searchId: string;
  query: string;
  catalogVersionId: string;
  indexVersion: string;
  userId: string | null;
  filter: unknown;
  total: number;
  latencyMs: number;
  at: string;
  /** Whether this is the first page of a result (later pages are not counted as searches again). */
  firstPage: boolean;
};

// One search's log in one script (one command for the client to send and read back, where MULTI with
// its six writes cost a search a tenth of its time in ioredis). KEYS: the search's hash, the recent
// list, the query counts, the zero-result counts, the user's searches. ARGV: TTL, how many recent
// searches to keep, the folded query, the entry as JSON, whether it counts as a search (first page),
// its total, the user id ('' for none), the searchId, then the hash's field/value pairs.
const LOG_SEARCH = `
redis.call('HSET', KEYS[1], unpack(ARGV, 9))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
redis.call('LPUSH', KEYS[2], ARGV[4])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
if ARGV[5] == '1' then
  redis.call('ZINCRBY', KEYS[3], 1, ARGV[3])
  if ARGV[6] == '0' then redis.call('ZINCRBY', KEYS[4], 1, ARGV[3]) end
end
if ARGV[7] ~= '' then
  redis.call('SADD', KEYS[5], ARGV[8])
  redis.call('EXPIRE', KEYS[5], tonumber(ARGV[1]))
end
return 1
`;

type TLogSearchCommand = { damLogSearch: (...args: (string | number)[]) => Promise<number> };
const scripted = new WeakSet<TDeps["redis"]>();

export const logSearch = async (deps: TDeps, entry: TSearchLogEntry): Promise<void> => {
  const k = keys(deps.env.DAM_QUEUE_PREFIX);
  const query = normaliseQuery(entry.query);
  if (!scripted.has(deps.redis)) {
    deps.redis.defineCommand("damLogSearch", { numberOfKeys: 5, lua: LOG_SEARCH });
    scripted.add(deps.redis);
  }
  const fields = {
    query,
    catalogVersionId: entry.catalogVersionId,
    indexVersion: entry.indexVersion,
    userId: entry.userId ?? "",
    total: entry.total,
    latencyMs: entry.latencyMs,
    at: entry.at,
    filter: JSON.stringify(entry.filter ?? null),
    clicks: 0,
  };
  await (deps.redis as unknown as TLogSearchCommand).damLogSearch(
    k.search(entry.searchId),
    k.recent,
    k.queries,
    k.zero,
    k.user(entry.userId ?? ""),
    SEARCH_TTL_SECONDS,
    RECENT_SEARCHES,
    query,
    JSON.stringify({ ...entry, query }),
    // Only first pages count as searches: paging through one result is not another search.
    entry.firstPage ? "1" : "0",
    entry.total,
    entry.userId ?? "",
    entry.searchId,
    ...Object.entries(fields).flat(),
  );
};

/**
 * Erasure: deletes the logged searches of these users (their hashes and their entries in the recent
 * list); the per-query counts hold no user and stay. Returns how many searches were removed.
 */
export const eraseUserSearches = async (deps: TDeps, userIds: readonly string[]): Promise<number> => {
  if (userIds.length === 0) return 0;
  const k = keys(deps.env.DAM_QUEUE_PREFIX);
  const users = [...new Set(userIds)];
  const removed = new Set<string>();
  const listed = await Promise.all(users.map((userId) => deps.redis.smembers(k.user(userId))));
  const searchIds = listed.flat();
  // One round trip: each search's record, then the users' sets.
  const deleting = deps.redis.pipeline();
  for (const searchId of searchIds) deleting.del(k.search(searchId));
  for (const userId of users) deleting.del(k.user(userId));
  const deleted = (await deleting.exec()) ?? [];
  searchIds.forEach((searchId, i) => {
    if (Number(deleted[i]?.[1] ?? 0) > 0) removed.add(searchId);
  });
  // The recent list names the user in each entry (also entries logged before the users' sets existed).
  const erased = new Set(users);
  const lines = (await deps.redis.lrange(k.recent, 0, -1)).filter((line) => {
    try {
      const logged = JSON.parse(line) as { searchId?: unknown; userId?: unknown };
      if (typeof logged.userId !== "string" || !erased.has(logged.userId)) return false;
      if (typeof logged.searchId === "string") removed.add(logged.searchId);
      return true;
    } catch {
      return false;
    }
  });
  if (lines.length > 0) {
    const trimming = deps.redis.pipeline();
    for (const line of lines) trimming.lrem(k.recent, 0, line);
    await trimming.exec();
  }
  return removed.size;
};

/** Counts one click per event for the query of each known searchId; unknown (expired) ids are skipped. */
export const attributeSearchClicks = async (deps: TDeps, searchIds: string[]): Promise<number> => {
  const k = keys(deps.env.DAM_QUEUE_PREFIX);
  let attributed = 0;
  for (const searchId of searchIds) {
    const query = await deps.redis.hget(k.search(searchId), "query");
    if (query === null) continue;
    await deps.redis.multi().hincrby(k.search(searchId), "clicks", 1).zincrby(k.clicks, 1, query).exec();
    attributed++;
  }
  return attributed;
};

export type TQueryStat = { query: string; searches: number; clicks: number; clickThrough: number };

const pairs = (flat: string[]): [string, number][] => {
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
  return out;
};

export const readSearchAnalytics = async (deps: TDeps, first: number) => {
  const k = keys(deps.env.DAM_QUEUE_PREFIX);
  const top = pairs(await deps.redis.zrevrange(k.queries, 0, first - 1, "WITHSCORES"));
  const clicks = top.length > 0 ? await deps.redis.zmscore(k.clicks, ...top.map(([q]) => q)) : [];
  const topQueries: TQueryStat[] = top.map(([query, searches], i) => {
    const clicked = Number(clicks[i] ?? 0);
    return { query, searches, clicks: clicked, clickThrough: searches > 0 ? clicked / searches : 0 };
  });
  const zeroResultQueries = pairs(await deps.redis.zrevrange(k.zero, 0, first - 1, "WITHSCORES")).map(
    ([query, searches]) => ({ query, searches }),
  );
  const [searches, clickTotal] = await Promise.all([
    deps.redis.zrange(k.queries, 0, -1, "WITHSCORES"),
    deps.redis.zrange(k.clicks, 0, -1, "WITHSCORES"),
  ]);
  const sum = (flat: string[]) => pairs(flat).reduce((total, [, n]) => total + n, 0);
  return { totalSearches: sum(searches), totalClicks: sum(clickTotal), topQueries, zeroResultQueries };
};

/** Past queries starting with the prefix, most searched first (for suggest). */
export const findPopularQueries = async (deps: TDeps, prefix: string, limit: number) => {
  const k = keys(deps.env.DAM_QUEUE_PREFIX);
  const wanted = normaliseQuery(prefix);
  const top = pairs(await deps.redis.zrevrange(k.queries, 0, 999, "WITHSCORES"));
  return top.filter(([query]) => query.startsWith(wanted) && query !== wanted).slice(0, limit);
};
