import { afterEach, describe, expect, it, vi } from "vitest";
import { createReadCache, readCacheFor } from "./read-cache.ts";

/** A read per key that answers the key and records that it ran. */
const recordingReads = () => {
  const reads: string[] = [];
  const read = (key: string) => async () => {
    reads.push(key);
    return key;
  };
  return { reads, read };
};

describe("createReadCache", () => {
  afterEach(() => vi.useRealTimers());

  it("answers from memory within its time, then reads again", async () => {
    vi.useFakeTimers({ now: 1_000 });
    const cache = createReadCache<number>({ ttlMs: 2_000, maxKeys: 4 });
    let reads = 0;
    const read = async () => ++reads;
    expect(await cache.get("a", read)).toBe(1);
    vi.setSystemTime(2_999);
    expect(await cache.get("a", read)).toBe(1);
    vi.setSystemTime(3_000);
    expect(await cache.get("a", read)).toBe(2);
    expect(reads).toBe(2);
  });

  it("shares one read between concurrent callers of a key", async () => {
    const cache = createReadCache<string>({ ttlMs: 60_000, maxKeys: 4 });
    let reads = 0;
    let release: (value: string) => void = () => undefined;
    const read = () => {
      reads++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const first = cache.get("k", read);
    const second = cache.get("k", read);
    release("v");
    expect(await Promise.all([first, second])).toEqual(["v", "v"]);
    expect(reads).toBe(1);
  });

  it("does not keep a failed read", async () => {
    const cache = createReadCache<string>({ ttlMs: 60_000, maxKeys: 4 });
    await expect(cache.get("k", () => Promise.reject(new Error("database down")))).rejects.toThrow(
      "database down",
    );
    expect(await cache.get("k", async () => "recovered")).toBe("recovered");
  });

  it("keeps at most maxKeys keys, dropping the oldest written", async () => {
    const cache = createReadCache<string>({ ttlMs: 60_000, maxKeys: 2 });
    const { reads, read } = recordingReads();
    await cache.get("a", read("a"));
    await cache.get("b", read("b"));
    await cache.get("c", read("c"));
    await cache.get("b", read("b"));
    await cache.get("a", read("a"));
    expect(reads).toEqual(["a", "b", "c", "a"]);
  });

  it("reads one key again after forget, the others not", async () => {
    const cache = createReadCache<string>({ ttlMs: 60_000, maxKeys: 4 });
    const { reads, read } = recordingReads();
    await cache.get("a", read("a"));
    await cache.get("b", read("b"));
    cache.forget("a");
    await cache.get("a", read("a"));
    await cache.get("b", read("b"));
    expect(reads).toEqual(["a", "b", "a"]);
  });

  it("reads again after clear", async () => {
    const cache = createReadCache<number>({ ttlMs: 60_000, maxKeys: 4 });
    let reads = 0;
    const read = async () => ++reads;
    await cache.get("a", read);
    cache.clear();
    expect(await cache.get("a", read)).toBe(2);
  });

  it("reads again when the clock went backwards", async () => {
    vi.useFakeTimers({ now: 10_000 });
    const cache = createReadCache<number>({ ttlMs: 2_000, maxKeys: 4 });
    let reads = 0;
    const read = async () => ++reads;
    await cache.get("a", read);
    vi.setSystemTime(9_000);
    expect(await cache.get("a", read)).toBe(2);
  });
});

describe("readCacheFor", () => {
  it("keeps one cache per owner", async () => {
    const cacheOf = readCacheFor<object, string>({ ttlMs: 60_000, maxKeys: 4 });
    const one = {};
    const two = {};
    expect(await cacheOf(one).get("k", async () => "one")).toBe("one");
    expect(await cacheOf(two).get("k", async () => "two")).toBe("two");
    expect(await cacheOf(one).get("k", async () => "again")).toBe("one");
  });
});
