// The search indexes an API process holds: one per catalogue version asked for, built from the
// version's table at the first search (or when the search.index job announces it), the most recently
// used few kept. A rebuild replaces the map entry only once complete, and a request takes its index
// reference once, so a search in flight finishes on the index it started with.
import type { TDeps } from "../../deps.ts";
import { logger } from "../../logger.ts";
import { inBackground, type TBackgroundSubscription } from "../core/redis-channel.ts";
import {
  buildCatalogSearchIndex,
  recordSearchIndexLineage,
  type TLoadedSearchIndex,
} from "./search-index-build.service.ts";
import {
  searchIndexChannel,
  searchSemanticChannel,
  searchVocabularyChannel,
} from "./search-index-channel.ts";
import { forgetSearchSets } from "./search-semantic.ts";
import { followSearchVocabulary, forgetSearchVocabulary, readSearchVocabulary } from "./search-vocabulary.ts";

/** Catalogue versions held at once (each index holds its catalogue's text; a few are enough). */
const MAX_INDEXES = 4;

export class SearchIndexStore {
  private readonly indexes = new Map<string, Promise<TLoadedSearchIndex>>();
  private readonly rebuilding = new Map<string, Promise<TLoadedSearchIndex>>();
  private subscription: TBackgroundSubscription | null = null;
  private vocabularySubscription: TBackgroundSubscription | null = null;
  private semanticSubscription: TBackgroundSubscription | null = null;

  constructor(private readonly deps: TDeps) {}

  /** Follows announcements of new indexes (the search.index job) so they are built before asked for. */
  start(): void {
    this.subscription = inBackground(
      searchIndexChannel.subscribe(this.deps.redis, this.deps.env.DAM_QUEUE_PREFIX, {
        onMessage: async ({ catalogVersionId, indexVersion }) => {
          // A new READY catalogue version can be the new default one.
          forgetSearchSets(this.deps, catalogVersionId);
          const held = await this.indexes.get(catalogVersionId)?.catch(() => null);
          if (held?.indexVersion === indexVersion) return;
          await this.rebuild(catalogVersionId);
        },
        onError: (error) => logger.error("search index announcement failed", { error: error.message }),
      }),
      "search index announcements",
    );
    this.vocabularySubscription = inBackground(
      searchVocabularyChannel.subscribe(this.deps.redis, this.deps.env.DAM_QUEUE_PREFIX, {
        onMessage: async ({ fingerprint }) => {
          forgetSearchVocabulary(this.deps);
          const stale = (await this.list()).some((loaded) => loaded.vocabulary !== fingerprint);
          if (stale) await this.refreshVocabulary();
        },
        onError: (error) => logger.error("search vocabulary announcement failed", { error: error.message }),
      }),
      "search vocabulary announcements",
    );
    void this.vocabularySubscription.confirmed.then((confirmed) =>
      followSearchVocabulary(this.deps, confirmed),
    );
    this.semanticSubscription = inBackground(
      searchSemanticChannel.subscribe(this.deps.redis, this.deps.env.DAM_QUEUE_PREFIX, {
        onMessage: async ({ catalogVersionId }) => forgetSearchSets(this.deps, catalogVersionId),
        onError: (error) =>
          logger.error("search embedding set announcement failed", { error: error.message }),
      }),
      "search embedding set announcements",
    );
  }

  /**
   * The index of a catalogue version, built now if this process does not hold it. An index built with
   * another vocabulary than the stewards' current one is still answered with while its rebuild runs
   * (the process that changed the vocabulary waits for its own rebuilds: refreshVocabulary).
   */
  async get(catalogVersionId: string): Promise<TLoadedSearchIndex> {
    const loaded = await this.held(catalogVersionId);
    const vocabulary = await readSearchVocabulary(this.deps);
    if (loaded.vocabulary !== vocabulary.fingerprint) {
      this.rebuildOnce(catalogVersionId).catch((error: unknown) =>
        logger.error("search index rebuild failed", { catalogVersionId, error: String(error) }),
      );
    }
    return loaded;
  }

  /** Rebuilds every index held with the current vocabulary; resolves when all are swapped in. */
  async refreshVocabulary(): Promise<void> {
    const held = await this.list();
    const settled = await Promise.allSettled(held.map((loaded) => this.rebuildOnce(loaded.catalogVersionId)));
    settled.forEach((result, i) => {
      if (result.status === "rejected") {
        logger.error("search index rebuild failed", {
          catalogVersionId: held[i]!.catalogVersionId,
          error: String(result.reason),
        });
      }
    });
  }

  /** One rebuild per version at a time; a second caller waits for the running one. */
  private rebuildOnce(catalogVersionId: string): Promise<TLoadedSearchIndex> {
    const running = this.rebuilding.get(catalogVersionId);
    if (running) return running;
    const rebuild = this.rebuild(catalogVersionId).finally(() => this.rebuilding.delete(catalogVersionId));
    this.rebuilding.set(catalogVersionId, rebuild);
    return rebuild;
  }

  private held(catalogVersionId: string): Promise<TLoadedSearchIndex> {
    const held = this.indexes.get(catalogVersionId);
    if (held) {
      // Most recently used last, so eviction takes the least recently used.
      this.indexes.delete(catalogVersionId);
      this.indexes.set(catalogVersionId, held);
      return held;
    }
    const building = this.build(catalogVersionId);
    this.indexes.set(catalogVersionId, building);
    building.catch(() => {
      if (this.indexes.get(catalogVersionId) === building) this.indexes.delete(catalogVersionId);
    });
    this.evict();
    return building;
  }

  /** Builds again and swaps the new index in when complete. */
  async rebuild(catalogVersionId: string): Promise<TLoadedSearchIndex> {
    const loaded = await this.build(catalogVersionId);
    this.indexes.set(catalogVersionId, Promise.resolve(loaded));
    this.evict();
    return loaded;
  }

  /** The indexes held now (for the servingSearchIndexes query). */
  async list(): Promise<TLoadedSearchIndex[]> {
    const settled = await Promise.allSettled(this.indexes.values());
    return settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  }

  private async build(catalogVersionId: string): Promise<TLoadedSearchIndex> {
    const loaded = await buildCatalogSearchIndex(this.deps, catalogVersionId);
    await recordSearchIndexLineage(this.deps, loaded);
    logger.info("search index built", {
      catalogVersionId,
      indexVersion: loaded.indexVersion,
      documents: loaded.index.ids.length,
      ms: loaded.buildMs,
    });
    return loaded;
  }

  private evict(): void {
    while (this.indexes.size > MAX_INDEXES) this.indexes.delete(this.indexes.keys().next().value as string);
  }

  async close(): Promise<void> {
    followSearchVocabulary(this.deps, false);
    await this.subscription?.close();
    await this.vocabularySubscription?.close();
    await this.semanticSubscription?.close();
    this.indexes.clear();
  }
}

const stores = new WeakMap<TDeps, SearchIndexStore>();

/** This process's store; created on first use (workers and the CLI search without announcements). */
export const searchIndexStoreOf = (deps: TDeps): SearchIndexStore => {
  let store = stores.get(deps);
  if (!store) {
    store = new SearchIndexStore(deps);
    stores.set(deps, store);
  }
  return store;
};

/** Started by the API server: the store also follows the search.index announcements. */
export const startSearchIndexStore = (deps: TDeps): SearchIndexStore => {
  const store = searchIndexStoreOf(deps);
  store.start();
  return store;
};
