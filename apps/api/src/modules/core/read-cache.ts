// A process's short-lived copy of database reads that sit on a request's hot path (which catalogue
// version a search defaults to, which embedding set it uses): within `ttlMs` a read is answered from
// memory, so a request costs no database round trip, and a change made elsewhere is seen within that
// time. Concurrent reads of one key share one query; a failed read is not kept.

export type TReadCache<T> = {
  /** The value for `key`, read again when the copy is older than the cache's time. */
  get: (key: string, read: () => Promise<T>) => Promise<T>;
  /** Drops one key's copy, so its next get reads the database (it was announced changed). */
  forget: (key: string) => void;
  /** Drops every copy, so the next get reads the database (after this process changed something). */
  clear: () => void;
};

export const createReadCache = <T>(options: { ttlMs: number; maxKeys: number }): TReadCache<T> => {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get: (key, read) => {
      const now = Date.now();
      const held = entries.get(key);
      if (held && now - held.at < options.ttlMs && now >= held.at) return held.value;
      const value = read();
      entries.delete(key);
      entries.set(key, { at: now, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      // Oldest written first: a key read again moves to the end.
      while (entries.size > options.maxKeys) entries.delete(entries.keys().next().value as string);
      return value;
    },
    forget: (key) => {
      entries.delete(key);
    },
    clear: () => entries.clear(),
  };
};

/**
 * One cache per owner (the process's deps: each database a process talks to, as in tests, has its
 * own copies).
 */
export const readCacheFor = <TOwner extends object, T>(options: {
  ttlMs: number;
  maxKeys: number;
}): ((owner: TOwner) => TReadCache<T>) => {
  const caches = new WeakMap<TOwner, TReadCache<T>>();
  return (owner) => {
    let cache = caches.get(owner);
    if (!cache) {
      cache = createReadCache<T>(options);
      caches.set(owner, cache);
    }
    return cache;
  };
};
