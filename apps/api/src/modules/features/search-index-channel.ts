// Announcements of a newly built search index, so every API process builds it and swaps it in before
// the first search asks (core/redis-channel.ts). A process that missed one builds the index at the
// first search of that catalogue version. Also: the stewards changed the search vocabulary, so every
// process reads it again and rebuilds the indexes it holds (a missed one is caught up by the
// vocabulary cache's expiry, search-vocabulary.ts). And: a text embedding set became READY, so every
// process forgets which set (and which default version) it was searching with (search-semantic.ts).
import type { Redis } from "ioredis";
import { z } from "zod";
import {
  publishOnChannel,
  subscribeToChannel,
  type TChannelSubscription,
  type TSubscribeOptions,
} from "../core/redis-channel.ts";

export const ZSearchIndexAnnouncement = z.object({
  catalogVersionId: z.string().min(1),
  indexVersion: z.string().min(1),
});
export type TSearchIndexAnnouncement = z.infer<typeof ZSearchIndexAnnouncement>;

export const searchIndexChannel = (prefix: string): string => `${prefix}:search:index`;

export const publishSearchIndex = (redis: Redis, prefix: string, announcement: TSearchIndexAnnouncement) =>
  publishOnChannel(redis, searchIndexChannel(prefix), ZSearchIndexAnnouncement, announcement);

export const subscribeSearchIndex = (
  redis: Redis,
  prefix: string,
  options: TSubscribeOptions<TSearchIndexAnnouncement>,
): Promise<TChannelSubscription> =>
  subscribeToChannel(redis, searchIndexChannel(prefix), ZSearchIndexAnnouncement, options);

export const ZSearchVocabularyAnnouncement = z.object({ fingerprint: z.string().min(1) });
export type TSearchVocabularyAnnouncement = z.infer<typeof ZSearchVocabularyAnnouncement>;

export const searchVocabularyChannel = (prefix: string): string => `${prefix}:search:vocabulary`;

export const publishSearchVocabulary = (
  redis: Redis,
  prefix: string,
  announcement: TSearchVocabularyAnnouncement,
) => publishOnChannel(redis, searchVocabularyChannel(prefix), ZSearchVocabularyAnnouncement, announcement);

export const subscribeSearchVocabulary = (
  redis: Redis,
  prefix: string,
  options: TSubscribeOptions<TSearchVocabularyAnnouncement>,
): Promise<TChannelSubscription> =>
  subscribeToChannel(redis, searchVocabularyChannel(prefix), ZSearchVocabularyAnnouncement, options);

/** A text embedding set became READY for a catalogue version: searches of it (and the default version) read again. */
export const ZSearchSemanticAnnouncement = z.object({ catalogVersionId: z.string().min(1) });
export type TSearchSemanticAnnouncement = z.infer<typeof ZSearchSemanticAnnouncement>;

export const searchSemanticChannel = (prefix: string): string => `${prefix}:search:semantic`;

export const publishSearchSemantic = (
  redis: Redis,
  prefix: string,
  announcement: TSearchSemanticAnnouncement,
) => publishOnChannel(redis, searchSemanticChannel(prefix), ZSearchSemanticAnnouncement, announcement);

export const subscribeSearchSemantic = (
  redis: Redis,
  prefix: string,
  options: TSubscribeOptions<TSearchSemanticAnnouncement>,
): Promise<TChannelSubscription> =>
  subscribeToChannel(redis, searchSemanticChannel(prefix), ZSearchSemanticAnnouncement, options);
