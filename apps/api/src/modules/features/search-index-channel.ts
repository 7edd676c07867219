// Announcements of a newly built search index, so every API process builds it and swaps it in before
// the first search asks (core/redis-channel.ts). A process that missed one builds the index at the
// first search of that catalogue version. Also: the stewards changed the search vocabulary, so every
// process reads it again and rebuilds the indexes it holds (a missed one is caught up by the
// vocabulary cache's expiry, search-vocabulary.ts). And: a text embedding set became READY, so every
// process forgets which set (and which default version) it was searching with (search-semantic.ts).
import { z } from "zod";
import { defineChannel } from "../core/redis-channel.ts";

export const ZSearchIndexAnnouncement = z.object({
  catalogVersionId: z.string().min(1),
  indexVersion: z.string().min(1),
});
export type TSearchIndexAnnouncement = z.infer<typeof ZSearchIndexAnnouncement>;

export const searchIndexChannel = defineChannel("search:index", ZSearchIndexAnnouncement);

export const ZSearchVocabularyAnnouncement = z.object({ fingerprint: z.string().min(1) });
export type TSearchVocabularyAnnouncement = z.infer<typeof ZSearchVocabularyAnnouncement>;

export const searchVocabularyChannel = defineChannel("search:vocabulary", ZSearchVocabularyAnnouncement);

/** A text embedding set became READY for a catalogue version: searches of it (and the default version) read again. */
export const ZSearchSemanticAnnouncement = z.object({ catalogVersionId: z.string().min(1) });
export type TSearchSemanticAnnouncement = z.infer<typeof ZSearchSemanticAnnouncement>;

export const searchSemanticChannel = defineChannel("search:semantic", ZSearchSemanticAnnouncement);
