// The stewards' search vocabulary (synonym groups and extra stop words, PostgreSQL) as the index
// build reads it. Each process reuses what it read, so a search does not pay a database round trip:
// API processes follow the vocabulary announcements (search-index-channel.ts) and keep it until one
// arrives (or a minute passes, in case one was missed); other processes re-read it after 2 s. A
// process's own changes are seen at once (search-vocabulary.service.ts forgets it).
import { createHash } from "node:crypto";
import type { TDeps } from "../../deps.ts";
import { findStopWords, findSynonymGroups } from "./search-vocabulary.repository.ts";

export type TSearchVocabulary = {
  /** Groups of folded single words, each group's words meaning the same. */
  synonyms: string[][];
  /** Folded single words ignored besides the engine's English stop words. */
  stopWords: string[];
  /** Identifies the vocabulary; an index built with another one is rebuilt. */
  fingerprint: string;
};

/** How long a process reuses the vocabulary it read (a change through another process shows within it). */
const VOCABULARY_CACHE_MS = 2_000;
/** The same for a process that follows the announcements: only a missed announcement waits this long. */
const FOLLOWED_VOCABULARY_CACHE_MS = 60_000;

type TCached = { at: number; vocabulary: Promise<TSearchVocabulary> };
const caches = new WeakMap<TDeps, TCached>();
const following = new WeakSet<TDeps>();

/** Marks this process as following the vocabulary announcements (set once its subscription is confirmed). */
export const followSearchVocabulary = (deps: TDeps, followed: boolean): void => {
  if (followed) following.add(deps);
  else following.delete(deps);
};

export const vocabularyFingerprint = (synonyms: string[][], stopWords: string[]): string =>
  createHash("sha256").update(JSON.stringify({ synonyms, stopWords })).digest("hex").slice(0, 12);

const loadVocabulary = async (deps: TDeps): Promise<TSearchVocabulary> => {
  const [groups, stops] = await Promise.all([findSynonymGroups(deps.db), findStopWords(deps.db)]);
  const synonyms = groups.map((group) => group.words);
  const stopWords = stops.map((row) => row.word);
  return { synonyms, stopWords, fingerprint: vocabularyFingerprint(synonyms, stopWords) };
};

export const readSearchVocabulary = (deps: TDeps): Promise<TSearchVocabulary> => {
  const now = Date.now();
  const cached = caches.get(deps);
  const ttl = following.has(deps) ? FOLLOWED_VOCABULARY_CACHE_MS : VOCABULARY_CACHE_MS;
  if (cached && now - cached.at < ttl && now >= cached.at) return cached.vocabulary;
  const vocabulary = loadVocabulary(deps);
  caches.set(deps, { at: now, vocabulary });
  vocabulary.catch(() => caches.delete(deps));
  return vocabulary;
};

/** Drops this process's copy (after a change), so the next read sees the database. */
export const forgetSearchVocabulary = (deps: TDeps): void => {
  caches.delete(deps);
};
